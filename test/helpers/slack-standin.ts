// The Slack stand-in the tests use is the product's own local workspace stand-in: the same code
// `npm start` runs in local mode (src/local/standin.ts).
export * from '../../src/local/standin.ts';
