//! A router that remembers its paths, so the route-walk test can visit every page there is:
//! a page added to the router without a line in the walk's policy table fails that test.

use crate::AppState;
use axum::routing::MethodRouter;
use axum::Router;

/// The pages' router and the paths it serves.
#[derive(Default)]
pub(crate) struct Routes {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Routes {
    /// No routes yet.
    pub(crate) fn new() -> Routes {
        Routes::default()
    }

    /// Serves `path` with `handlers`, as [`Router::route`] does.
    pub(crate) fn route(mut self, path: &'static str, handlers: MethodRouter<AppState>) -> Routes {
        self.router = self.router.route(path, handlers);
        self.paths.push(path);
        self
    }

    /// Adds another feature's routes.
    pub(crate) fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    /// The router, and the paths it serves.
    pub(crate) fn into_parts(self) -> (Router<AppState>, Vec<&'static str>) {
        (self.router, self.paths)
    }
}
