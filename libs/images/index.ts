export * from './image-pipeline';
export * from './image-purpose';
export * from './image-rejected.error';
export * from './image-response';
export * from './image-store';
export * from './image.service';
export * from './images.module';
export * from './pending-image.entity';
