import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'api-gateway:public';

/** Marks a route that needs no X-API-Key (and is not rate limited). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
