import { Reflector } from '@nestjs/core';

/**
 * Marks a controller or route as public (no credentials): probes and the like. The API's guard refuses every
 * route that neither declares a permission nor is marked public, so a route added without one is closed.
 */
export const PublicRoute = Reflector.createDecorator<true>();
