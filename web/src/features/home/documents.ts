import { graphql } from '../../app/graphql';

// The member's home (Query.home), one query per card (each stays under the API's token limit). Each
// list is the server's, already filtered by who may see what; the page lays it out and links every item
// to where it is acted on.
export const HomeNeedsYouQuery = graphql(`
  query HomeNeedsYou {
    home {
      joinRequests {
        id
        message
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
        viewerCanForward
        viewerCanAccept
        requester {
          id
          name
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
    }
  }
`);

export const HomeNextQuery = graphql(`
  query HomeNext {
    home {
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
    }
  }
`);

export const HomeGroupsQuery = graphql(`
  query HomeGroups {
    viewer {
      id
      groups(first: 1) {
        totalCount
      }
    }
    home {
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
