//! The two IAM Identity Center operations the SSO providers call, described for the
//! runtime's pipeline with only the members they send and read: SSO's `GetRoleCredentials`
//! and SSO-OIDC's `CreateToken`. Both take no signature (`smithy.api#noAuth`): the SSO
//! token travels in the request itself.

use super::super::service::{SSO, SSO_OIDC};
use crate::operation::Operation;
use crate::schema::{Location, Member, Schema, ShapeFlags, ShapeType};
use crate::value::{StructValue, Value, opt, opt_mut};

static STRING: Schema = Schema::string("String");
static SENSITIVE: Schema = Schema::string("SensitiveString").flag(ShapeFlags::SENSITIVE);
static LONG: Schema = Schema::scalar("Long", ShapeType::Long);
static INTEGER: Schema = Schema::scalar("Integer", ShapeType::Integer);

static GET_ROLE_CREDENTIALS_INPUT: Schema = Schema::structure(
    "GetRoleCredentialsRequest",
    &[
        Member::new("roleName", &STRING)
            .required()
            .location(Location::QueryString, "role_name"),
        Member::new("accountId", &STRING)
            .required()
            .location(Location::QueryString, "account_id"),
        Member::new("accessToken", &SENSITIVE)
            .required()
            .location(Location::Header, "x-amz-sso_bearer_token"),
    ],
);

static ROLE_CREDENTIALS: Schema = Schema::structure(
    "RoleCredentials",
    &[
        Member::new("accessKeyId", &STRING),
        Member::new("secretAccessKey", &SENSITIVE),
        Member::new("sessionToken", &SENSITIVE),
        // Epoch milliseconds, as a number (not a timestamp shape).
        Member::new("expiration", &LONG),
    ],
);

static GET_ROLE_CREDENTIALS_OUTPUT: Schema = Schema::structure(
    "GetRoleCredentialsResponse",
    &[Member::new("roleCredentials", &ROLE_CREDENTIALS)],
);

/// SSO `GetRoleCredentials`: `GET /federation/credentials?role_name=..&account_id=..` with
/// the token in `x-amz-sso_bearer_token`.
pub(super) static GET_ROLE_CREDENTIALS: Operation = Operation::new(
    "GetRoleCredentials",
    &SSO,
    "GET",
    "/federation/credentials",
    &GET_ROLE_CREDENTIALS_INPUT,
    &GET_ROLE_CREDENTIALS_OUTPUT,
)
.auth_type("none")
.auth(&["smithy.api#noAuth"]);

static CREATE_TOKEN_INPUT: Schema = Schema::structure(
    "CreateTokenRequest",
    &[
        Member::new("clientId", &STRING).required(),
        Member::new("clientSecret", &SENSITIVE).required(),
        Member::new("grantType", &STRING).required(),
        Member::new("refreshToken", &SENSITIVE),
    ],
);

static CREATE_TOKEN_OUTPUT: Schema = Schema::structure(
    "CreateTokenResponse",
    &[
        Member::new("accessToken", &SENSITIVE),
        Member::new("expiresIn", &INTEGER),
        Member::new("refreshToken", &SENSITIVE),
    ],
);

/// SSO-OIDC `CreateToken`: `POST /token` with a JSON body.
pub(super) static CREATE_TOKEN: Operation = Operation::new(
    "CreateToken",
    &SSO_OIDC,
    "POST",
    "/token",
    &CREATE_TOKEN_INPUT,
    &CREATE_TOKEN_OUTPUT,
)
.auth_type("none")
.auth(&["smithy.api#noAuth"]);

/// The input of `GetRoleCredentials`.
#[derive(Clone, Default)]
pub(super) struct GetRoleCredentialsInput {
    pub role_name: String,
    pub account_id: String,
    pub access_token: String,
}

impl StructValue for GetRoleCredentialsInput {
    fn schema(&self) -> &'static Schema {
        &GET_ROLE_CREDENTIALS_INPUT
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => Some(&self.role_name),
            1 => Some(&self.account_id),
            2 => Some(&self.access_token),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => Some(&mut self.role_name),
            1 => Some(&mut self.account_id),
            2 => Some(&mut self.access_token),
            _ => None,
        }
    }
}
crate::impl_struct_value!(GetRoleCredentialsInput);

/// `roleCredentials` of the `GetRoleCredentials` output.
#[derive(Clone, Default)]
pub(super) struct RoleCredentials {
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    pub expiration: Option<i64>,
}

impl StructValue for RoleCredentials {
    fn schema(&self) -> &'static Schema {
        &ROLE_CREDENTIALS
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => opt(&self.access_key_id),
            1 => opt(&self.secret_access_key),
            2 => opt(&self.session_token),
            3 => opt(&self.expiration),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => opt_mut(&mut self.access_key_id),
            1 => opt_mut(&mut self.secret_access_key),
            2 => opt_mut(&mut self.session_token),
            3 => opt_mut(&mut self.expiration),
            _ => None,
        }
    }
}
crate::impl_struct_value!(RoleCredentials);

/// The output of `GetRoleCredentials`.
#[derive(Clone, Default)]
pub(super) struct GetRoleCredentialsOutput {
    pub role_credentials: Option<RoleCredentials>,
}

impl StructValue for GetRoleCredentialsOutput {
    fn schema(&self) -> &'static Schema {
        &GET_ROLE_CREDENTIALS_OUTPUT
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => opt(&self.role_credentials),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => opt_mut(&mut self.role_credentials),
            _ => None,
        }
    }
}
crate::impl_struct_value!(GetRoleCredentialsOutput);

/// The input of `CreateToken` (the `refresh_token` grant).
#[derive(Clone, Default)]
pub(super) struct CreateTokenInput {
    pub client_id: String,
    pub client_secret: String,
    pub grant_type: String,
    pub refresh_token: Option<String>,
}

impl StructValue for CreateTokenInput {
    fn schema(&self) -> &'static Schema {
        &CREATE_TOKEN_INPUT
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => Some(&self.client_id),
            1 => Some(&self.client_secret),
            2 => Some(&self.grant_type),
            3 => opt(&self.refresh_token),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => Some(&mut self.client_id),
            1 => Some(&mut self.client_secret),
            2 => Some(&mut self.grant_type),
            3 => opt_mut(&mut self.refresh_token),
            _ => None,
        }
    }
}
crate::impl_struct_value!(CreateTokenInput);

/// The output of `CreateToken`.
#[derive(Clone, Default)]
pub(super) struct CreateTokenOutput {
    pub access_token: Option<String>,
    pub expires_in: Option<i32>,
    pub refresh_token: Option<String>,
}

impl StructValue for CreateTokenOutput {
    fn schema(&self) -> &'static Schema {
        &CREATE_TOKEN_OUTPUT
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => opt(&self.access_token),
            1 => opt(&self.expires_in),
            2 => opt(&self.refresh_token),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => opt_mut(&mut self.access_token),
            1 => opt_mut(&mut self.expires_in),
            2 => opt_mut(&mut self.refresh_token),
            _ => None,
        }
    }
}
crate::impl_struct_value!(CreateTokenOutput);
