// The response-deadline scheduler as an `npm start` component.
import type { Component } from '../main.js';
import { createCaseResponseService } from './responses.js';
import { startResponseScheduler } from './response-scheduler.js';

export const responseComponent: Component = {
  name: 'case responses',
  async start({ config, db, queues, chain, say }) {
    // With a chain the pipeline owns filed → executing: its dispatcher opens the case on chain
    // once the window closed (mayProceed) and its CaseOpened fold moves it. Proceeding here would
    // move the case to `executing` without ever opening it, so the hook only leaves it to the pipeline.
    const responses = createCaseResponseService({ db, responseSeconds: config.caseResponseSeconds, proceed: chain ? () => {} : undefined });
    const scheduler = await startResponseScheduler({ responses, queues, onError: (err) => say(`case responses: ${err.message}`) });
    say(`case responses: merchants have ${config.caseResponseSeconds} s to respond (CASE_RESPONSE_SECONDS)`);
    return { stop: () => scheduler.stop() };
  },
};
