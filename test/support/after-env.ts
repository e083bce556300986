import { closeTracked } from './resources';

// After every test file: close the apps and browsers its beforeAll opened, even if that beforeAll failed halfway.
afterAll(closeTracked);
