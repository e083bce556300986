import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '@libs/config';
import { OutboxModule } from '@libs/outbox/outbox.module';
import { IMAGES_QUEUE } from '@libs/queue/queue-names';
import { ImageEraseProcessor } from './image-erase.processor';
import { IMAGE_STORE, LocalImageStore } from './image-store';
import { ImageService } from './image.service';

/** The image service and its store (a local directory under UPLOAD_DIR). Modules that keep images import this. */
@Module({
  imports: [OutboxModule],
  providers: [{ provide: IMAGE_STORE, inject: [AppConfig], useFactory: (config: AppConfig) => new LocalImageStore(config.uploadDir) }, ImageService],
  exports: [ImageService, IMAGE_STORE],
})
export class ImagesModule {}

/** The job that erases released images; only the worker process imports this. */
@Module({
  imports: [ImagesModule, BullModule.registerQueue({ name: IMAGES_QUEUE })],
  providers: [ImageEraseProcessor],
  exports: [ImageEraseProcessor],
})
export class ImagesWorkerModule {}
