import { graphql } from '../../app/graphql';

// The member's home in one query (Query.home): each list is the server's, already filtered by who may
// see what; the page only lays it out and links every item to where it is acted on.
export const HomeQuery = graphql(`
  query Home {
    viewer {
      id
      name
      groups(first: 1) {
        totalCount
      }
    }
    home {
      joinRequests {
        id
        message
        createdAt
        person {
          id
          name
          initials
        }
        group {
          id
          slug
          name
        }
      }
      mentorshipRequests {
        id
        origin
        createdAt
        expiresAt
        viewerRole
        mentee {
          id
          name
          initials
        }
        mentor {
          id
          name
        }
        group {
          id
          name
        }
      }
      introductions {
        id
        viewerRole
        viewerCanForward
        viewerCanAccept
        viewerCanAnswerFollowUp
        expiresAt
        requester {
          id
          name
          initials
        }
        broker {
          id
          name
        }
        target {
          id
          name
        }
      }
      waitlistOffers {
        id
        offerExpiresAt
        slot {
          id
          startsAt
          officeHours {
            id
            topic
            host {
              id
              name
            }
          }
        }
      }
      unreadMentions {
        id
        text
        href
        createdAt
      }
      bookings {
        id
        slot {
          id
          startsAt
          officeHours {
            id
            topic
            host {
              id
              name
            }
          }
        }
      }
      hostedSlots {
        id
        startsAt
        seats
        seatsTaken
        officeHours {
          id
          topic
          mentorship {
            id
            partner {
              id
              name
            }
          }
        }
      }
      events {
        id
        title
        startsAt
        timeZone
        group {
          id
          name
        }
      }
      checkInsDue {
        dueAt
        overdue
        mentorship {
          id
          partner {
            id
            name
          }
        }
      }
      goalsDue {
        id
        title
        dueOn
        overdue
        mentorshipId
      }
      introductionsUnderway {
        id
        state
        broker {
          id
          name
        }
        target {
          id
          name
        }
      }
      groupActivity {
        id
        title
        lastMessageAt
        unreadCount
        group {
          id
          slug
          name
        }
      }
    }
  }
`);
