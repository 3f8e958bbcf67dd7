import type { Store } from '../core/ports.js';
import type { NewSecurityEvent, Policy } from '../core/types.js';

export interface StoreObservers {
  /** After a security event is recorded (metrics counted where core records them). */
  event(event: NewSecurityEvent): void;
  /** After the policy is saved through this store (this process's policy cache takes it). */
  policySaved(policy: Policy): void;
}

/**
 * The store as the app uses it, observed at two ports: each appended security event, and each
 * saved policy. Observing the port rather than each caller keeps the core free of metrics and
 * caches, and counts every path that records the event (login and step-up alike). Transactions
 * hand out an observed store too.
 */
export function observeStore(store: Store, on: StoreObservers): Store {
  return {
    ...store,
    events: {
      ...store.events,
      append: async (event) => {
        const id = await store.events.append(event);
        on.event(event);
        return id;
      },
      appendAll: async (events) => {
        await store.events.appendAll(events);
        events.forEach((e) => on.event(e));
      },
    },
    policy: {
      ...store.policy,
      put: async (policy, now) => {
        await store.policy.put(policy, now);
        on.policySaved(policy);
      },
    },
    transaction: (fn) => store.transaction((tx) => fn(observeStore(tx, on))),
  };
}
