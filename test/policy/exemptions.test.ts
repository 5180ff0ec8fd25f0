import { PolicyCheckRule, PolicyRule, Waiver } from '../../src';
import { Problems } from '../../src/core/validation';
import { POLICY_IGNORE_ANNOTATION, waiverAnnotations } from '../../src/pod/waiver';
import { CHECKER_IGNORE_ANNOTATION, exemptionAnnotations, TOOL_NAMES } from '../../src/policy/exemptions';
import { RULES } from '../../src/policy/rules';

const R = PolicyCheckRule;

describe('each checker\'s names for every rule', () => {
  test('every rule of the table has its names', () => {
    expect(RULES.filter((r) => TOOL_NAMES[r.rule] === undefined).map((r) => r.rule)).toEqual([]);
    expect(Object.keys(TOOL_NAMES).sort()).toEqual(RULES.map((r) => r.rule).sort());
  });

  test('the names of the library\'s Waivers are among the names of the rules they waive', () => {
    // The library's Waiver(PolicyRule) and a PolicyWaiver of the same rules must exempt the same checks.
    for (const rule of Object.values(PolicyRule)) {
      const written = waiverAnnotations([Waiver.of(rule, 'r')], new Problems('t'), 'w');
      const ids = written[POLICY_IGNORE_ANNOTATION].split(':')[0].split(',') as PolicyCheckRule[];
      const ours = exemptionAnnotations([{ rules: ids, reason: 'r' }], {});
      const keys = Object.keys(written).filter((k) => k !== CHECKER_IGNORE_ANNOTATION && k !== POLICY_IGNORE_ANNOTATION && k !== 'kube-score/ignore' && !k.startsWith('checkov.io/'));
      expect({ rule, missing: keys.filter((k) => ours[k] === undefined) }).toEqual({ rule, missing: [] });
      const list = (v: string | undefined) => (v ?? '').split(':')[0].split(',').filter((s) => s.length > 0);
      const checker = list(ours[CHECKER_IGNORE_ANNOTATION]);
      expect({ rule, missing: list(written[CHECKER_IGNORE_ANNOTATION]).filter((id) => !checker.includes(id)) }).toEqual({ rule, missing: [] });
      expect({ rule, missing: list(written['kube-score/ignore']).filter((id) => !list(ours['kube-score/ignore']).includes(id)) }).toEqual({ rule, missing: [] });
      const checkov = (a: { [k: string]: string }) => Object.entries(a).filter(([k]) => k.startsWith('checkov.io/')).map(([, v]) => v.split('=')[0]);
      expect({ rule, missing: checkov(written).filter((id) => !checkov(ours).includes(id)) }).toEqual({ rule, missing: [] });
    }
  });
});

describe('exemptionAnnotations', () => {
  test('every checker\'s exemption for one waiver', () => {
    expect(exemptionAnnotations([{ rules: [R.NO_HOST_PATH], reason: 'reads the node\'s logs' }], {})).toEqual({
      [POLICY_IGNORE_ANNOTATION]: 'no-host-path: reads the node\'s logs',
      [CHECKER_IGNORE_ANNOTATION]: 'PSS105,PSS201,KBP101,KBP115: reads the node\'s logs',
      'ignore-check.kube-linter.io/docker-sock': 'reads the node\'s logs',
      'ignore-check.kube-linter.io/sensitive-host-mounts': 'reads the node\'s logs',
      'ignore-check.kube-linter.io/writable-host-mount': 'reads the node\'s logs',
      'polaris.fairwinds.com/hostPathSet-exempt': 'true',
      'checkov.io/skip1': 'CKV_K8S_27=reads the node\'s logs',
    });
  });

  test('several waivers: ids and reasons joined, kube-score names once', () => {
    const out = exemptionAnnotations([
      { rules: [R.RUN_AS_NON_ROOT], reason: 'a' },
      { rules: [R.HIGH_UID_GID, R.IMAGE_DIGEST], reason: 'b' },
    ], {});
    expect(out[POLICY_IGNORE_ANNOTATION]).toBe('run-as-non-root,high-uid-gid,image-digest: a; b');
    expect(out['kube-score/ignore']).toBe('container-security-context-user-group-id');
    expect(Object.entries(out).filter(([k]) => k.startsWith('checkov.io/'))).toEqual([
      ['checkov.io/skip1', 'CKV_K8S_23=a'], ['checkov.io/skip2', 'CKV_K8S_40=b'], ['checkov.io/skip3', 'CKV_K8S_43=b'],
    ]);
  });

  test('merged with the annotations the object already has', () => {
    const existing = {
      [POLICY_IGNORE_ANNOTATION]: 'no-host-path: reads the node\'s logs',
      [CHECKER_IGNORE_ANNOTATION]: 'PSS105,PSS201: reads the node\'s logs',
      'kube-score/ignore': 'container-security-context-user-group-id',
      'ignore-check.kube-linter.io/host-network': 'its own reason',
      'checkov.io/skip1': 'CKV_K8S_27=reads the node\'s logs',
      'checkov.io/skip2': 'CKV_K8S_19=its own reason',
    };
    const out = exemptionAnnotations([{ rules: [R.NO_HOST_NAMESPACES, R.NO_HOST_PATH], reason: 'a node agent' }], existing);
    expect(out[POLICY_IGNORE_ANNOTATION]).toBe('no-host-path,no-host-namespaces: reads the node\'s logs; a node agent');
    expect(out[CHECKER_IGNORE_ANNOTATION]).toBe('PSS105,PSS201,PSS102,KBP101,KBP115: reads the node\'s logs; a node agent');
    expect(out['kube-score/ignore']).toBeUndefined(); // neither rule has a kube-score name: the object keeps its own
    expect(out['ignore-check.kube-linter.io/host-network']).toBe('its own reason');
    expect(out['ignore-check.kube-linter.io/host-pid']).toBe('a node agent');
    expect(Object.entries(out).filter(([k]) => k.startsWith('checkov.io/'))).toEqual([['checkov.io/skip3', 'CKV_K8S_17=a node agent'], ['checkov.io/skip4', 'CKV_K8S_18=a node agent']]);
  });

  test('the same reason is not repeated; a rule without checker names writes no checker-ignore', () => {
    const out = exemptionAnnotations([{ rules: [R.EPHEMERAL_STORAGE], reason: 'r' }], { [POLICY_IGNORE_ANNOTATION]: 'priority-class: r' });
    expect(out).toEqual({ [POLICY_IGNORE_ANNOTATION]: 'priority-class,ephemeral-storage: r', 'kube-score/ignore': 'container-ephemeral-storage-request-and-limit' });
  });

  test('no waiver, no annotation', () => {
    expect(exemptionAnnotations([], {})).toEqual({});
  });
});
