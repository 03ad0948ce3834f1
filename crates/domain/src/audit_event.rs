//! What an audit entry records: one of a fixed list, never free text. The codes are what the
//! trail stores and shows, so a variant's code never changes once written.

macro_rules! audit_events {
    ($($name:ident = $code:literal,)*) => {
        /// What happened, as the audit trail records it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum AuditEvent {
            $(
                #[doc = $code]
                $name,
            )*
        }

        impl AuditEvent {
            /// Every event, for the test that their codes are distinct.
            pub const ALL: &'static [AuditEvent] = &[$(AuditEvent::$name,)*];

            /// The code the trail stores.
            pub const fn code(self) -> &'static str {
                match self {
                    $(AuditEvent::$name => $code,)*
                }
            }
        }
    };
}

audit_events! {
    ActionAdd = "action_add",
    ActionChange = "action_change",
    Archive = "archive",
    AuditKeyed = "audit_keyed",
    CalendarLinkNew = "calendar_link_new",
    CalendarLinkRevoke = "calendar_link_revoke",
    ConcernRaise = "concern_raise",
    ConcernRefused = "concern_refused",
    ConcernRules = "concern_rules",
    ConcernStep = "concern_step",
    ConsentRecord = "consent_record",
    ContactAdd = "contact_add",
    DemoSeed = "demo_seed",
    DemoSeedPeople = "demo_seed_people",
    EnquiryAdd = "enquiry_add",
    EnquiryAssign = "enquiry_assign",
    EnquiryClose = "enquiry_close",
    EnquiryConvert = "enquiry_convert",
    EnquiryView = "enquiry_view",
    EnquiryWelcomeCall = "enquiry_welcome_call",
    FeedbackAnswer = "feedback_answer",
    GroupAdd = "group_add",
    GroupChange = "group_change",
    GroupMemberAdd = "group_member_add",
    GroupMemberEnd = "group_member_end",
    ImprovementAdd = "improvement_add",
    ImprovementChange = "improvement_change",
    MeetingAdd = "meeting_add",
    MeetingChange = "meeting_change",
    MeetingInvitation = "meeting_invitation",
    MeetingRegister = "meeting_register",
    MeetingReply = "meeting_reply",
    OpportunityAdd = "opportunity_add",
    OpportunityAnswer = "opportunity_answer",
    OpportunityChange = "opportunity_change",
    OpportunityStage = "opportunity_stage",
    OrganisationUpdate = "organisation_update",
    PaperAdd = "paper_add",
    PaperRemove = "paper_remove",
    PartnerAdd = "partner_add",
    PartnerUpdate = "partner_update",
    PasswordSet = "password_set",
    PeopleExport = "people_export",
    PeopleImport = "people_import",
    PersonAdd = "person_add",
    PersonChange = "person_change",
    PersonMerge = "person_merge",
    PersonUpdate = "person_update",
    PersonView = "person_view",
    PictureAdd = "picture_add",
    PortalOnBehalf = "portal_on_behalf",
    PortalSignIn = "portal_sign_in",
    PortalSignOut = "portal_sign_out",
    PortalView = "portal_view",
    ProjectAdd = "project_add",
    ProjectChange = "project_change",
    ProjectMemberAdd = "project_member_add",
    ProjectMemberEnd = "project_member_end",
    RelationshipAdd = "relationship_add",
    RelationshipUpdate = "relationship_update",
    ReviewAdd = "review_add",
    SecondFactorEnrolled = "second_factor_enrolled",
    SecondFactorFailed = "second_factor_failed",
    SecondFactorRequirement = "second_factor_requirement",
    SecretsRotate = "secrets_rotate",
    ServiceAdd = "service_add",
    ServiceUpdate = "service_update",
    SignIn = "sign_in",
    SignInFailed = "sign_in_failed",
    SignInPasswordAccepted = "sign_in_password_accepted",
    SignOut = "sign_out",
    StaffAdd = "staff_add",
    StaffDisable = "staff_disable",
    StaffEnable = "staff_enable",
    TokenCreate = "token_create",
    TokenUse = "token_use",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_its_own_code() {
        let mut codes: Vec<&str> = AuditEvent::ALL.iter().map(|e| e.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), AuditEvent::ALL.len());
    }
}
