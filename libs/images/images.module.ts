import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AppConfig } from '@libs/config';
import { OutboxModule } from '@libs/outbox/outbox.module';
import { IMAGES_QUEUE } from '@libs/queue/queue-names';
import { IMAGE_STORE, LocalImageStore } from './image-store';
import { ImageService } from './image.service';
import { ImagesProcessor } from './images.processor';
import { PendingImage } from './pending-image.entity';

/** The image service and its store (a local directory under UPLOAD_DIR). Modules that keep images import this. */
@Module({
  imports: [OutboxModule, MikroOrmModule.forFeature([PendingImage])],
  providers: [{ provide: IMAGE_STORE, inject: [AppConfig], useFactory: (config: AppConfig) => new LocalImageStore(config.uploadDir) }, ImageService],
  exports: [ImageService, IMAGE_STORE],
})
export class ImagesModule {}

/** The jobs that erase released and never-attached images; only the worker process imports this. */
@Module({
  imports: [ImagesModule, BullModule.registerQueue({ name: IMAGES_QUEUE })],
  providers: [ImagesProcessor],
  exports: [ImagesProcessor],
})
export class ImagesWorkerModule {}
