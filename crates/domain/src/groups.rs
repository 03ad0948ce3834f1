//! Standing co-production groups: members' roles and how a group meets.

code_list!(
    /// What a member does in a group.
    GroupRole {
        /// Chairs the meetings.
        Chair = "chair", "Chair";
        /// Takes part.
        Member = "member", "Member";
        /// The staff member who leads for the service.
        StaffLead = "staff_lead", "Staff lead";
        /// Supports a member (a carer, an advocate, a buddy).
        Supporter = "supporter", "Supporter";
    }
);

/// Reads a video link: it must be an https address (Zoom, Teams or any other).
pub fn parse_video_link(text: &str) -> Result<String, &'static str> {
    let t = text.trim();
    let rest = t
        .strip_prefix("https://")
        .ok_or("Enter a video link that starts with https://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') || t.contains(char::is_whitespace) || t.len() > 500 {
        return Err("Enter a video link like https://zoom.us/j/123456789");
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn video_links_must_be_https_addresses() {
        assert_eq!(
            parse_video_link(" https://zoom.us/j/123 ").as_deref(),
            Ok("https://zoom.us/j/123")
        );
        assert!(parse_video_link("http://zoom.us/j/123").is_err());
        assert!(parse_video_link("zoom.us/j/123").is_err());
        assert!(parse_video_link("https://").is_err());
        assert!(parse_video_link("https://teams microsoft.com").is_err());
        assert_eq!(GroupRole::parse("staff_lead"), Some(GroupRole::StaffLead));
    }
}
