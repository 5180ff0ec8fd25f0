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
 * The pull policy Kubernetes itself would default to: Always for `latest` or no tag (and no
 * digest), IfNotPresent otherwise. cdk8s-plus-28 would otherwise force Always on every image.
 */
export function defaultPullPolicy(image: string): string {
  const pinned = typeof image === 'string' && (image.includes('@') || (imageTag(image) !== undefined && imageTag(image) !== 'latest'));
  return pinned ? 'IfNotPresent' : 'Always';
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
