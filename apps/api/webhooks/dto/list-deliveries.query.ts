import { PageQuery } from '../../http/page.query.js';

/** Paging of an endpoint's deliveries, as the request list pages. */
export class ListDeliveriesQuery extends PageQuery {}
