import { Module } from '@nestjs/common';
import { GraphiqlController } from './graphiql.controller.js';
import { GraphiqlFiles } from './graphiql-files.js';

/**
 * GraphiQL served by this service from its npm packages (no CDN), keeping nothing in the browser.
 * Imported only outside production (AppModule).
 */
@Module({
  controllers: [GraphiqlController],
  providers: [{ provide: GraphiqlFiles, useFactory: () => GraphiqlFiles.load() }],
})
export class GraphiqlModule {}
