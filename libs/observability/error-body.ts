import { ApiProperty } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

/** The one shape of every error body (docs/ARCHITECTURE.md, "Errors"). */
export class ErrorBody {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'engagement[0] "4295067780" must start with the site id 20762324 followed by the chat id' })
  message!: string;
}

export function errorBody(statusCode: number, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}
