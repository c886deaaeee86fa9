//! The few `Msg`s of the device port, built and taken apart in one place for both sides
//! (the server's sessions and the emulator).

use riot_proto::channel_management::Management;
use riot_proto::{authentication, data_msg, msg, token};
use riot_proto::{
    AuthRequest, AuthResponse, Authentication, ChannelManagement, Data, DataMsg, DataPoint, Msg,
    ServerDisconnecting, Token,
};

fn management(management: Management) -> Msg {
    Msg {
        msg: Some(msg::Msg::ChannelManagement(ChannelManagement {
            management: Some(management),
        })),
    }
}

/// A device-group token, as devices present it.
pub fn device_group_token(text: &str) -> Token {
    Token {
        token: Some(token::Token::DeviceGroupToken(text.to_string())),
    }
}

/// The device's first message.
pub fn auth_request(token: &str, now_ms: u64) -> Msg {
    management(Management::Auth(Authentication {
        auth: Some(authentication::Auth::AuthRequest(AuthRequest {
            timestamp: now_ms,
            token: Some(device_group_token(token)),
        })),
    }))
}

/// The server's answer to it.
pub fn auth_response(token: Option<Token>, ack: bool, code: u32, reason: &str, now_ms: u64) -> Msg {
    management(Management::Auth(Authentication {
        auth: Some(authentication::Auth::AuthResponse(AuthResponse {
            timestamp: now_ms,
            token,
            ack,
            code,
            reason: reason.to_string(),
        })),
    }))
}

pub fn heartbeat(n: u64) -> Msg {
    management(Management::Heartbeat(n))
}

/// Closing, from either side; codes read like HTTP's.
pub fn disconnect(code: u32, reason: &str, now_ms: u64) -> Msg {
    management(Management::Disconnect(ServerDisconnecting {
        timestamp: now_ms,
        code,
        reason: reason.to_string(),
        reconnect_url: String::new(),
    }))
}

/// One device's points.
pub fn data(serial: &str, points: Vec<DataPoint>, type_of_service: u32) -> Msg {
    Msg {
        msg: Some(msg::Msg::Data(Data {
            data: vec![DataMsg {
                data: points,
                source: Some(data_msg::Source::SerialNumber(serial.to_string())),
                type_of_service,
                stream_id: 0,
            }],
        })),
    }
}

/// What a message is, as the two sides' loops look at it.
#[derive(Debug)]
pub enum Kind {
    AuthRequest(Option<Token>),
    AuthResponse(AuthResponse),
    Heartbeat(u64),
    Disconnect(ServerDisconnecting),
    Data(Data),
    /// Anything else (subscriptions, acks, parts this crate has no fields for).
    Other,
}

impl From<Msg> for Kind {
    fn from(msg: Msg) -> Self {
        match msg.msg {
            Some(msg::Msg::Data(data)) => Kind::Data(data),
            Some(msg::Msg::ChannelManagement(ChannelManagement {
                management: Some(m),
            })) => match m {
                Management::Heartbeat(n) => Kind::Heartbeat(n),
                Management::Disconnect(d) => Kind::Disconnect(d),
                Management::Auth(Authentication {
                    auth: Some(authentication::Auth::AuthRequest(r)),
                }) => Kind::AuthRequest(r.token),
                Management::Auth(Authentication {
                    auth: Some(authentication::Auth::AuthResponse(r)),
                }) => Kind::AuthResponse(r),
                _ => Kind::Other,
            },
            _ => Kind::Other,
        }
    }
}
