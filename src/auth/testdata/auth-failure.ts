/**
 * @module
 * Test helper: the AuthenticationError a piece of SigV4 code throws.
 */
import { AuthenticationError } from '../errors.js';

/** Runs `run` and returns the AuthenticationError it throws; fails when it throws nothing or something else. */
export function failure(run: () => unknown): AuthenticationError {
  try {
    run();
  } catch (error) {
    if (error instanceof AuthenticationError) return error;
    throw error;
  }
  throw new Error('expected an AuthenticationError');
}
