// One fake Slack for the tests and the local playground: it lives in src/playground.
export * from '../../src/playground/fake-slack.js';
