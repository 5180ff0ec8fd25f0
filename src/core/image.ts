import { Problems } from './validation';

// A pragmatic subset of the distribution reference grammar.
const REFERENCE = /^(?:(?:[a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

/** The tag of an image reference, or undefined when it has none. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastPart = withoutDigest.slice(lastSlash + 1);
  const colon = lastPart.indexOf(':');
  return colon >= 0 ? lastPart.slice(colon + 1) : undefined;
}

/**
 * The pull policy of every container: `Always`. The library's position on the conflict between
 * "always pull" (kube-score, Polaris, Kyverno, Checkov) and "pin by digest" (with which
 * `IfNotPresent` would be safe): a tag can be moved, so every start asks the registry which image
 * the tag names now (layers already on the node are not downloaded again); a digest is welcome on
 * top and costs the same one request. The price: a registry outage keeps new pods from starting.
 */
export function defaultPullPolicy(): string {
  return 'Always';
}

/**
 * Checks an image reference: well formed, and pinned (a tag other than `latest`, or a digest)
 * unless `allowUnpinned` is set.
 */
export function checkImage(problems: Problems, prop: string, image: unknown, allowUnpinned: boolean): void {
  if (typeof image !== 'string' || image.length === 0) {
    problems.add(prop, image, 'must be a non-empty image reference such as "ghcr.io/acme/api:1.4.2"');
    return;
  }
  if (!REFERENCE.test(image)) {
    problems.add(prop, image, 'must be a valid image reference ([registry/]repository[:tag][@digest], repository in lower case)');
    return;
  }
  const pinned = image.includes('@') || (imageTag(image) !== undefined && imageTag(image) !== 'latest');
  if (!pinned && !allowUnpinned) {
    problems.add(
      prop, image,
      'must be pinned to a tag other than "latest" or to a digest (set allowUnpinnedImage: true to opt out)',
    );
  }
}
