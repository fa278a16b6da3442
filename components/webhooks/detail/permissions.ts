/** What the signed-in member may do on a webhook's page (from can(role, …) on the server). */
export type TDetailPermissions = {
  toggle: boolean;
  test: boolean;
  configure: boolean;
  template: boolean;
  remove: boolean;
  retry: boolean;
  reveal: boolean;
};
