import { ApiObject, App } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { PatternValidationError, problemsOf, ValidationProblem } from './validation';

/**
 * One synthesis: everything between entering `app.synth()`, `app.synthYaml()` or `chart.toJson()`
 * and leaving it. No user code runs in between (only cdk8s, resolvers and validations), so what
 * the tree renders to cannot change within a session.
 */
interface SynthSession {
  /** Results of the validations added with `addSynthValidation`, by validation. */
  readonly results: Map<IValidation, string[]>;
  /** The problems behind each non-empty result, in the order the validations ran. */
  readonly problems: Map<IValidation, ValidationProblem[]>;
  /** The lines cdk8s writes for those results (`[<scope path>] <message>`). */
  readonly lines: string[];
  /** Objects rendered for a check and not yet taken by the synthesis itself. */
  readonly renders: Map<ApiObject, any>;
  /** Values `sessionMemo` computed, by owner and key. */
  readonly memos: WeakMap<object, Map<string, unknown>>;
}

let current: SynthSession | undefined;

const HOOKED = Symbol.for('cdk8s-patterns.synth-session-hooks');
const HANDOFF = Symbol.for('cdk8s-patterns.render-handoff');

/**
 * Runs `fn` as one synth session, or inside the one already open. Results and renders are
 * dropped when the outermost session ends, whether it returns or throws.
 * @internal
 */
export function withSynthSession<T>(fn: () => T): T {
  if (current) return fn();
  current = { results: new Map(), problems: new Map(), lines: [], renders: new Map(), memos: new WeakMap() };
  try {
    return fn();
  } finally {
    current = undefined;
  }
}

/**
 * Opens a synth session around cdk8s's entry points, once per loaded cdk8s. Stock cdk8s
 * validates the whole app once per chart (`chart.toJson()` calls `validate(app)`), so without a
 * session an app of C charts ran every check, and rendered every workload, C + 1 times. The
 * wrappers call the originals with the same arguments and return their results unchanged.
 * @internal
 */
export function installSynthSessionHooks(): void {
  const app = App as any;
  if (app[HOOKED]) return;
  Object.defineProperty(app, HOOKED, { value: true });
  wrap(App.prototype, 'synth');
  wrap(App.prototype, 'synthYaml');
  wrap(app, '_synthChart'); // behind every chart.toJson(), also from Testing.synth()
}

function wrap(target: any, method: string): void {
  const original = target[method];
  if (typeof original !== 'function') return; // a cdk8s without it: checks stay correct, only slower
  Object.defineProperty(target, method, {
    configurable: true,
    writable: true,
    value: function (this: unknown, ...args: unknown[]) {
      return withSynthSession(() => {
        try {
          return original.apply(this, args);
        } catch (e) {
          throw asValidationError(e);
        }
      });
    },
  });
}

/** The header of the error cdk8s throws when a validation of the app fails. */
const CDK8S_VALIDATION_ERROR = 'Validation failed with the following errors:';

/**
 * cdk8s's validation error as the library's own: one `PatternValidationError` listing every
 * problem in the same format as a constructor's, with the structured problems for tools; a
 * message of a validation the library did not add is kept as a problem without a prop.
 * @internal
 */
export function asValidationError(e: unknown): unknown {
  const session = current;
  if (!session || !(e instanceof Error) || e instanceof PatternValidationError || !e.message.startsWith(CDK8S_VALIDATION_ERROR)) return e;
  const ours = [...session.problems.values()].flat();
  // Our own lines are taken out by their full text (a message may span lines); what is left came from others.
  let rest = e.message.slice(CDK8S_VALIDATION_ERROR.length);
  for (const line of session.lines) rest = rest.split(line).join('\n');
  const foreign = rest.split('\n').map((l) => l.trim()).filter((l) => l.length > 0)
    .map((line): ValidationProblem => {
      const m = /^\[([^\]]*)\] ([\s\S]*)$/.exec(line);
      return { path: m ? m[1] : '', prop: '', value: '', rule: m ? m[2] : line };
    });
  return new PatternValidationError([...ours, ...foreign]);
}

/**
 * Adds a validation whose result is computed once per synth session, however many times cdk8s
 * validates the app in that session. Outside a session (a direct `node.validate()`), it runs
 * every time.
 * @internal
 */
export function addSynthValidation(scope: IConstruct, validate: () => string[]): void {
  const validation: IValidation = {
    validate: () => {
      const session = current;
      if (!session) return validate();
      let result = session.results.get(validation);
      if (result === undefined) {
        result = validate();
        session.results.set(validation, result);
        if (result.length > 0) session.problems.set(validation, problemsOf(result, scope.node.path));
        session.lines.push(...result.map((message) => `[${scope.node.path}] ${message}`));
      }
      return result;
    },
  };
  scope.node.addValidation(validation);
}

/**
 * `compute()`, once per synth session for `owner` and `key` (the tree does not change within a
 * session, so neither does anything derived from it); outside a session, every time. For what
 * several checks derive from the whole app, e.g. the labels of every pod.
 * @internal
 */
export function sessionMemo<T>(owner: object, key: string, compute: () => T): T {
  const session = current;
  if (!session) return compute();
  let memos = session.memos.get(owner);
  if (!memos) {
    memos = new Map();
    session.memos.set(owner, memos);
  }
  if (!memos.has(key)) memos.set(key, compute());
  return memos.get(key) as T;
}

/**
 * The JSON of `apiObject` for a check. Within a synth session it is rendered once, and the
 * synthesis takes that very render as its output instead of rendering the object again (the
 * checks only read it). Outside a session it renders every time.
 * @internal
 */
export function renderForChecks(apiObject: ApiObject): any {
  const session = current;
  if (!session) return apiObject.toJson();
  let json = session.renders.get(apiObject);
  if (json === undefined) {
    handOffRenders(apiObject);
    json = apiObject.toJson();
    session.renders.set(apiObject, json);
  }
  return json;
}

/** Makes `apiObject.toJson()` return, once, the render a check of the same session made. */
function handOffRenders(apiObject: ApiObject): void {
  if ((apiObject as any)[HANDOFF]) return;
  Object.defineProperty(apiObject, HANDOFF, { value: true });
  Object.defineProperty(apiObject, 'toJson', {
    configurable: true,
    writable: true,
    value: function toJson(this: ApiObject) {
      const session = current;
      const json = session?.renders.get(this);
      if (json !== undefined) {
        session!.renders.delete(this);
        return json;
      }
      return Object.getPrototypeOf(this).toJson.call(this);
    },
  });
}
