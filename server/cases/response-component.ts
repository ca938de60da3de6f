// The response-deadline scheduler as an `npm start` component.
import type { Component } from '../main.js';
import { createCaseResponseService } from './responses.js';
import { startResponseScheduler } from './response-scheduler.js';

export const responseComponent: Component = {
  name: 'case responses',
  async start({ config, db, queues, say }) {
    const responses = createCaseResponseService({ db, responseSeconds: config.caseResponseSeconds });
    const scheduler = await startResponseScheduler({ responses, queues, onError: (err) => say(`case responses: ${err.message}`) });
    say(`case responses: merchants have ${config.caseResponseSeconds} s to respond (CASE_RESPONSE_SECONDS)`);
    return { stop: () => scheduler.stop() };
  },
};
