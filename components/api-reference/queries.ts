/** Query keys of the API reference feature. */
export const apiReferenceKeys = {
  all: ["api-reference"] as const,
  document: () => [...apiReferenceKeys.all, "openapi"] as const,
};
