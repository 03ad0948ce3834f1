//! Opportunities: the kinds of role, where they happen, the support given and asked for, who
//! may see them, and where each person is with one.

code_list!(
    /// The kind of role.
    OpportunityKind {
        /// Delivering training to staff.
        TrainingDelivery = "training_delivery", "Training delivery";
        /// Sitting on an interview panel.
        RecruitmentPanel = "recruitment_panel", "Recruitment panel";
        /// Looking round a ward, clinic or building.
        EnvironmentReview = "environment_review", "Environment review";
        /// Reading leaflets, letters or plans.
        ReadingPanel = "reading_panel", "Reading panel";
        /// A one-off group discussion.
        FocusGroup = "focus_group", "Focus group";
        /// Designing something together.
        CoDesignWorkshop = "co_design_workshop", "Co-design workshop";
        /// Something else.
        Other = "other", "Other";
    }
);

code_list!(
    /// Where it happens.
    Place {
        /// On a video call.
        Online = "online", "Online";
        /// By phone.
        Phone = "phone", "By phone";
        /// In person, at a venue.
        Venue = "venue", "In person";
    }
);

code_list!(
    /// Support given to people taking part.
    Support {
        /// Training beforehand.
        Training = "training", "Training beforehand";
        /// Someone to go with them.
        Buddy = "buddy", "A buddy to go with you";
        /// A meeting beforehand to prepare.
        PreMeeting = "pre_meeting", "A meeting beforehand to prepare";
    }
);

code_list!(
    /// What taking part needs.
    Requirement {
        /// Our training done first.
        TrainingDone = "training_done", "Our training done first";
        /// A DBS check.
        Dbs = "dbs", "A DBS check";
        /// Aged 18 or over.
        Adult = "adult", "Aged 18 or over";
    }
);

code_list!(
    /// Who may see it.
    Visibility {
        /// Staff only, while it is being written.
        Draft = "draft", "Draft (staff only)";
        /// People already involved, in their portal.
        Involved = "involved", "People already involved";
        /// Anyone, on the public pages.
        Public = "public", "Everyone (public)";
    }
);

code_list!(
    /// Where a person is with an opportunity.
    Stage {
        /// Staff asked them.
        Invited = "invited", "Invited";
        /// They said they would like to.
        Interested = "interested", "Interested";
        /// Chosen, not yet confirmed.
        Selected = "selected", "Selected";
        /// On the waiting list.
        Waiting = "waiting", "Waiting list";
        /// Taking part.
        Confirmed = "confirmed", "Confirmed";
        /// They said no.
        Declined = "declined", "Declined";
        /// They or we withdrew.
        Withdrawn = "withdrawn", "Withdrawn";
    }
);
