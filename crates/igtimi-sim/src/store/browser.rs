//! What the simulator's sign-in pages remember: who is signed in with which cookie, and
//! which clients each user already approved.

use super::{random_token, Store};

impl Store {
    /// Starts a browser sign-in session for a user; returns its cookie value.
    pub fn start_browser_session(&self, user_id: u64) -> String {
        let sid = random_token();
        self.lock().browser_sessions.insert(sid.clone(), user_id);
        sid
    }

    pub fn browser_session_user(&self, sid: &str) -> Option<u64> {
        self.lock().browser_sessions.get(sid).copied()
    }

    pub fn end_browser_session(&self, sid: &str) {
        self.lock().browser_sessions.remove(sid);
    }

    /// Remembers that a user approved a client, so the next authorize skips the consent page.
    pub fn approve(&self, user_id: u64, client_id: &str) {
        self.lock()
            .approvals
            .insert((user_id, client_id.to_string()));
    }

    pub fn is_approved(&self, user_id: u64, client_id: &str) -> bool {
        self.lock()
            .approvals
            .contains(&(user_id, client_id.to_string()))
    }
}
