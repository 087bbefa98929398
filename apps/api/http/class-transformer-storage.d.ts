// class-transformer publishes its metadata storage (`defaultMetadataStorage`) without a declaration for the
// CommonJS path Node loads: the part of it the validation pipe reads.
declare module 'class-transformer/cjs/storage.js' {
  import type { TransformationType } from 'class-transformer';

  export const defaultMetadataStorage: {
    getStrategy(target: abstract new () => object): 'excludeAll' | 'exposeAll' | 'none';
    findTypeMetadata(target: abstract new () => object, propertyName: string): object | undefined;
    findExposeMetadata(target: abstract new () => object, propertyName: string): object | undefined;
    findExcludeMetadata(target: abstract new () => object, propertyName: string): object | undefined;
    findTransformMetadatas(
      target: abstract new () => object,
      propertyName: string,
      transformationType: TransformationType,
    ): object[];
  };
}
