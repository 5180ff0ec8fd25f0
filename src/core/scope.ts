import { ApiObject } from 'cdk8s';
/**
 * Makes an object cluster-scoped: drops the namespace that cdk8s copies from a Chart's
 * `namespace` into every ApiObject, both from the manifest and from the metadata the app-wide
 * duplicate check reads.
 * @internal
 */
export function makeClusterScoped(apiObject: ApiObject): void {
  if (apiObject.metadata.namespace !== undefined) {
    // cdk8s offers no way to opt a single object out of the chart namespace.
    (apiObject.metadata as { namespace?: string }).namespace = undefined;
  }
}
