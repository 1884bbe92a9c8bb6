import type { Database } from '../platform/index.js';
import { type Acquirer, AcquirerTimeoutError, type ChargeRequest, createSandboxAcquirer } from '../wallet/index.js';

/** What a test may do to the bank around a charge. */
export type BankControls = {
  /** Runs before the bank sees a charge: hold it in flight, or change the world meanwhile. */
  beforeCharge?: (request: ChargeRequest) => Promise<void>;
  /** After the bank applied a charge, its answer is lost on the way back. */
  losesAnswers?: boolean;
};

/**
 * The sandbox bank, handed to the runtime as its acquirer, with the controls a test sets (and
 * clears) while it runs. Everything else is the sandbox as the app uses it.
 */
export function steerableSandbox(controls: BankControls): (db: Database) => Acquirer {
  return (db) => {
    const sandbox = createSandboxAcquirer(db);
    return {
      ...sandbox,
      async charge(request) {
        await controls.beforeCharge?.(request);
        const result = await sandbox.charge(request);
        if (controls.losesAnswers) throw new AcquirerTimeoutError('test: answer lost');
        return result;
      },
    };
  };
}
