//! Browser platform: smoldot's `PlatformRef` over the page's WebSocket, timers, clock and crypto
//! randomness, and tasks on the page's event loop. The page is single-threaded, so the !Send
//! browser objects are wrapped in `SendWrapper` to satisfy smoldot's Send bounds.

use std::borrow::Cow;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use send_wrapper::SendWrapper;
use smoldot_light::platform::{
    Address, ConnectionType, LogLevel, MultiStreamAddress, MultiStreamWebRtcConnection, PlatformRef,
    SubstreamDirection, read_write::ReadWrite,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_time::Instant;

use super::peer_address::needs_secure_websocket;

/// Runs `future` in the background on the page's event loop.
pub fn spawn(future: impl Future<Output = ()> + 'static) {
    wasm_bindgen_futures::spawn_local(future);
}

/// Waits for `duration`.
pub async fn sleep(duration: Duration) {
    gloo_timers::future::sleep(duration).await;
}

/// True when the page or worker this code runs in was loaded over https (browsers then refuse plain
/// `ws://` to other hosts). Read from the global scope's `location`, which a window and a worker
/// both have.
pub fn origin_is_https() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"location".into())
        .and_then(|location| js_sys::Reflect::get(&location, &"protocol".into()))
        .ok()
        .and_then(|protocol| protocol.as_string())
        .is_some_and(|protocol| protocol == "https:")
}

/// The smoldot platform used by this build.
pub type Platform = BrowserPlatform;

/// A new platform instance for one client.
pub fn new_platform() -> Platform {
    let page_is_https = origin_is_https();
    BrowserPlatform {
        page_is_https,
        max_log_level: Arc::new(2),
    }
}

/// smoldot's platform in a web page.
#[derive(Clone)]
pub struct BrowserPlatform {
    page_is_https: bool,
    max_log_level: Arc<u8>,
}

/// Largest amount of unsent data kept in a WebSocket's buffer before smoldot is told to wait.
const MAX_BUFFERED: usize = 1 << 20;

enum SocketState {
    Connecting,
    Open,
    Closed(String),
}

struct Socket {
    ws: Option<web_sys::WebSocket>,
    state: SocketState,
    incoming: Vec<u8>,
    waker: Option<Waker>,
    _callbacks: Vec<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

impl Socket {
    fn wake(&mut self) {
        if let Some(waker) = self.waker.take() {
            waker.wake();
        }
    }
}

/// One WebSocket connection as smoldot sees it.
pub struct Stream {
    socket: SendWrapper<Rc<RefCell<Socket>>>,
    buffer: Vec<u8>,
    expected: usize,
    wake_up_after: Option<Instant>,
    error: Option<String>,
    write_closed: bool,
    timer: Option<SendWrapper<gloo_timers::future::TimeoutFuture>>,
    /// Whether smoldot has been shown the socket open / closed (so a change wakes it once).
    seen_open: bool,
    seen_closed: bool,
}

impl Drop for Stream {
    fn drop(&mut self) {
        if let Some(ws) = self.socket.borrow_mut().ws.take() {
            let _ = ws.close();
            ws.set_onopen(None);
            ws.set_onmessage(None);
            ws.set_onclose(None);
            ws.set_onerror(None);
        }
    }
}

fn failed_stream(reason: String) -> Stream {
    Stream {
        socket: SendWrapper::new(Rc::new(RefCell::new(Socket {
            ws: None,
            state: SocketState::Closed(reason),
            incoming: Vec::new(),
            waker: None,
            _callbacks: Vec::new(),
        }))),
        buffer: Vec::new(),
        expected: 0,
        wake_up_after: None,
        error: None,
        write_closed: true,
        timer: None,
        seen_open: false,
        seen_closed: false,
    }
}

fn open_socket(url: &str) -> Stream {
    let ws = match web_sys::WebSocket::new(url) {
        Ok(ws) => ws,
        Err(error) => return failed_stream(format!("cannot open {url}: {error:?}")),
    };
    ws.set_binary_type(web_sys::BinaryType::Arraybuffer);
    let socket = Rc::new(RefCell::new(Socket {
        ws: Some(ws.clone()),
        state: SocketState::Connecting,
        incoming: Vec::new(),
        waker: None,
        _callbacks: Vec::new(),
    }));
    let on_open = {
        let socket = Rc::downgrade(&socket);
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
            if let Some(socket) = socket.upgrade() {
                let mut socket = socket.borrow_mut();
                socket.state = SocketState::Open;
                socket.wake();
            }
        })
    };
    let on_message = {
        let socket = Rc::downgrade(&socket);
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let (Some(socket), Ok(buffer)) = (socket.upgrade(), event.data().dyn_into::<js_sys::ArrayBuffer>()) {
                let mut socket = socket.borrow_mut();
                super::count_from_peer(buffer.byte_length() as usize);
                socket.incoming.extend(js_sys::Uint8Array::new(&buffer).to_vec());
                socket.wake();
            }
        })
    };
    let on_close = {
        let socket = Rc::downgrade(&socket);
        let url = url.to_string();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
            if let Some(socket) = socket.upgrade() {
                let mut socket = socket.borrow_mut();
                if !matches!(socket.state, SocketState::Closed(_)) {
                    socket.state = SocketState::Closed(format!("connection to {url} closed"));
                }
                socket.wake();
            }
        })
    };
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    ws.set_onerror(Some(on_close.as_ref().unchecked_ref()));
    socket.borrow_mut()._callbacks = vec![on_open, on_message, on_close];
    Stream {
        socket: SendWrapper::new(socket),
        buffer: Vec::new(),
        expected: 0,
        wake_up_after: None,
        error: None,
        write_closed: false,
        timer: None,
        seen_open: false,
        seen_closed: false,
    }
}

/// smoldot's view of a stream's buffers; written back to the socket when dropped.
pub struct ReadWriteAccess<'a> {
    stream: &'a mut Stream,
    read_write: ReadWrite<Instant>,
}

impl std::ops::Deref for ReadWriteAccess<'_> {
    type Target = ReadWrite<Instant>;
    fn deref(&self) -> &Self::Target {
        &self.read_write
    }
}

impl std::ops::DerefMut for ReadWriteAccess<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.read_write
    }
}

impl Drop for ReadWriteAccess<'_> {
    fn drop(&mut self) {
        let stream = &mut *self.stream;
        stream.buffer = std::mem::take(&mut self.read_write.incoming_buffer);
        stream.expected = self.read_write.expected_incoming_bytes.unwrap_or(0);
        stream.wake_up_after = self.read_write.wake_up_after.take();
        let socket = stream.socket.borrow();
        if let Some(ws) = &socket.ws {
            for buffer in self.read_write.write_buffers.drain(..) {
                if ws.send_with_u8_array(&buffer).is_err() {
                    break;
                }
            }
            if self.read_write.write_bytes_queueable.is_none() && !stream.write_closed {
                // A WebSocket cannot half-close: closing our side ends the connection.
                stream.write_closed = true;
                let _ = ws.close();
            }
        }
    }
}

/// Polls until the stream has something new for smoldot.
pub struct StreamUpdate<'a> {
    stream: &'a mut Stream,
}

impl Future for StreamUpdate<'_> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let stream = &mut *self.get_mut().stream;
        {
            let mut socket = stream.socket.borrow_mut();
            let state_changed = match socket.state {
                SocketState::Connecting => false,
                SocketState::Open => !stream.seen_open,
                SocketState::Closed(_) => !stream.seen_closed,
            };
            if !socket.incoming.is_empty() || state_changed {
                return Poll::Ready(());
            }
            socket.waker = Some(cx.waker().clone());
        }
        if let Some(when) = stream.wake_up_after {
            let now = Instant::now();
            if when <= now {
                stream.wake_up_after = None;
                stream.timer = None;
                return Poll::Ready(());
            }
            if stream.timer.is_none() {
                let millis = (when - now).as_millis().min(u128::from(u32::MAX)) as u32;
                stream.timer = Some(SendWrapper::new(gloo_timers::future::TimeoutFuture::new(millis.max(1))));
            }
        }
        if let Some(timer) = &mut stream.timer
            && Pin::new(&mut **timer).poll(cx).is_ready()
        {
            stream.timer = None;
            return Poll::Ready(());
        }
        Poll::Pending
    }
}

/// A future that is never ready (this platform opens no multi-stream connections).
pub type Never<T> = std::future::Pending<T>;

fn console(level: LogLevel, text: &str) {
    let text = wasm_bindgen::JsValue::from_str(text);
    match level {
        LogLevel::Error => web_sys::console::error_1(&text),
        LogLevel::Warn => web_sys::console::warn_1(&text),
        LogLevel::Info => web_sys::console::info_1(&text),
        LogLevel::Debug | LogLevel::Trace => web_sys::console::debug_1(&text),
    }
}

impl PlatformRef for BrowserPlatform {
    type Delay = SendWrapper<gloo_timers::future::TimeoutFuture>;
    type Instant = Instant;
    type MultiStream = std::convert::Infallible;
    type Stream = Stream;
    type ReadWriteAccess<'a> = ReadWriteAccess<'a>;
    type StreamErrorRef<'a> = &'a str;
    type StreamConnectFuture = std::future::Ready<Stream>;
    type MultiStreamConnectFuture = Never<MultiStreamWebRtcConnection<Self::MultiStream>>;
    type StreamUpdateFuture<'a> = StreamUpdate<'a>;
    type NextSubstreamFuture<'a> = Never<Option<(Self::Stream, SubstreamDirection)>>;

    fn now_from_unix_epoch(&self) -> Duration {
        web_time::SystemTime::now()
            .duration_since(web_time::UNIX_EPOCH)
            .unwrap_or_default()
    }

    fn now(&self) -> Instant {
        Instant::now()
    }

    fn fill_random_bytes(&self, buffer: &mut [u8]) {
        // The page's crypto.getRandomValues; failing here would make every key guessable.
        getrandom::getrandom(buffer).expect("the browser provides crypto.getRandomValues");
    }

    fn sleep(&self, duration: Duration) -> Self::Delay {
        let millis = duration.as_millis().min(u128::from(u32::MAX)) as u32;
        SendWrapper::new(gloo_timers::future::TimeoutFuture::new(millis))
    }

    fn sleep_until(&self, when: Instant) -> Self::Delay {
        self.sleep(when.saturating_duration_since(Instant::now()))
    }

    fn spawn_task(&self, _name: Cow<str>, task: impl Future<Output = ()> + Send + 'static) {
        wasm_bindgen_futures::spawn_local(task);
    }

    fn log<'a>(
        &self,
        level: LogLevel,
        target: &'a str,
        message: &'a str,
        key_values: impl Iterator<Item = (&'a str, &'a dyn std::fmt::Display)>,
    ) {
        let rank = match level {
            LogLevel::Error => 1,
            LogLevel::Warn => 2,
            LogLevel::Info => 3,
            LogLevel::Debug => 4,
            LogLevel::Trace => 5,
        };
        if rank > *self.max_log_level {
            return;
        }
        let mut text = format!("[{target}] {message}");
        for (key, value) in key_values {
            text.push_str(&format!(" {key}={value}"));
        }
        console(level, &text);
    }

    fn client_name(&self) -> Cow<'_, str> {
        "taoscope".into()
    }

    fn client_version(&self) -> Cow<'_, str> {
        env!("CARGO_PKG_VERSION").into()
    }

    fn supports_connection_type(&self, connection_type: ConnectionType) -> bool {
        match connection_type {
            ConnectionType::WebSocketIpv4 { remote_is_localhost }
            | ConnectionType::WebSocketIpv6 { remote_is_localhost } => {
                !needs_secure_websocket(self.page_is_https, false, remote_is_localhost)
            }
            ConnectionType::WebSocketDns {
                secure,
                remote_is_localhost,
            } => !needs_secure_websocket(self.page_is_https, secure, remote_is_localhost),
            _ => false,
        }
    }

    fn connect_stream(&self, address: Address) -> Self::StreamConnectFuture {
        let (url, secure, local) = match address {
            Address::WebSocketIp {
                ip: std::net::IpAddr::V4(ip),
                port,
            } => (format!("ws://{ip}:{port}"), false, ip.is_loopback()),
            Address::WebSocketIp {
                ip: std::net::IpAddr::V6(ip),
                port,
            } => (format!("ws://[{ip}]:{port}"), false, ip.is_loopback()),
            Address::WebSocketDns { hostname, port, secure } => (
                format!("{}://{hostname}:{port}", if secure { "wss" } else { "ws" }),
                secure,
                hostname.eq_ignore_ascii_case("localhost"),
            ),
            Address::TcpIp { .. } | Address::TcpDns { .. } => {
                return std::future::ready(failed_stream("browsers cannot open TCP connections".into()));
            }
        };
        if needs_secure_websocket(self.page_is_https, secure, local) {
            return std::future::ready(failed_stream(format!("this peer needs wss: {url} from an https page")));
        }
        std::future::ready(open_socket(&url))
    }

    fn connect_multistream(&self, _address: MultiStreamAddress) -> Self::MultiStreamConnectFuture {
        std::future::pending()
    }

    fn open_out_substream(&self, connection: &mut Self::MultiStream) {
        match *connection {}
    }

    fn next_substream<'a>(&self, _connection: &'a mut Self::MultiStream) -> Self::NextSubstreamFuture<'a> {
        std::future::pending()
    }

    fn read_write_access<'a>(&self, stream: Pin<&'a mut Stream>) -> Result<ReadWriteAccess<'a>, &'a str> {
        let stream = stream.get_mut();
        let (queueable, queued, closed_reason) = {
            let mut socket = stream.socket.borrow_mut();
            let incoming = std::mem::take(&mut socket.incoming);
            stream.buffer.extend(incoming);
            let buffered = socket.ws.as_ref().map(|ws| ws.buffered_amount() as usize).unwrap_or(0);
            stream.seen_open |= matches!(socket.state, SocketState::Open);
            stream.seen_closed |= matches!(socket.state, SocketState::Closed(_));
            match &socket.state {
                SocketState::Connecting => (Some(0), buffered, None),
                SocketState::Open if stream.write_closed => (None, buffered, None),
                SocketState::Open => (Some(MAX_BUFFERED.saturating_sub(buffered)), buffered, None),
                SocketState::Closed(reason) => (None, buffered, Some(reason.clone())),
            }
        };
        if let Some(reason) = closed_reason
            && stream.buffer.is_empty()
        {
            stream.error = Some(reason);
            return Err(stream.error.as_deref().unwrap_or("closed"));
        }
        let expected = if queueable.is_none() && stream.buffer.is_empty() {
            None
        } else {
            Some(stream.expected)
        };
        let read_write = ReadWrite {
            now: Instant::now(),
            incoming_buffer: std::mem::take(&mut stream.buffer),
            expected_incoming_bytes: expected,
            read_bytes: 0,
            write_buffers: Vec::new(),
            write_bytes_queued: queued,
            write_bytes_queueable: queueable,
            wake_up_after: None,
        };
        Ok(ReadWriteAccess { stream, read_write })
    }

    fn wait_read_write_again<'a>(&self, stream: Pin<&'a mut Stream>) -> StreamUpdate<'a> {
        StreamUpdate {
            stream: stream.get_mut(),
        }
    }
}

/// A text WebSocket to a trusted JSON-RPC endpoint: messages to send, and messages received
/// (that stream ends when the connection closes).
pub type TextSocket = (
    futures::channel::mpsc::UnboundedSender<String>,
    futures::channel::mpsc::UnboundedReceiver<String>,
);

/// Opens a text WebSocket to `url` and waits until it is open (or has failed).
pub async fn open_text_socket(url: &super::RpcUrl) -> Result<TextSocket, String> {
    use futures::StreamExt;
    use futures::channel::{mpsc, oneshot};

    let page_is_https = origin_is_https();
    if needs_secure_websocket(page_is_https, url.secure, url.is_local()) {
        return Err("this endpoint needs wss: an https page cannot open plain ws:// connections to other hosts".into());
    }
    let ws = web_sys::WebSocket::new(&url.to_string()).map_err(|error| format!("{error:?}"))?;
    let (opened_tx, opened) = oneshot::channel::<Result<(), String>>();
    let opened_tx = Rc::new(RefCell::new(Some(opened_tx)));
    let (received, incoming) = mpsc::unbounded::<String>();
    let on_open = {
        let opened_tx = opened_tx.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
            if let Some(opened) = opened_tx.borrow_mut().take() {
                let _ = opened.send(Ok(()));
            }
        })
    };
    let on_message = {
        let received = received.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(text) = event.data().as_string() {
                super::count_from_rpc_node(text.len());
                let _ = received.unbounded_send(text);
            }
        })
    };
    let on_close = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
        if let Some(opened) = opened_tx.borrow_mut().take() {
            let _ = opened.send(Err("the connection failed".into()));
        }
        received.close_channel();
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    ws.set_onerror(Some(on_close.as_ref().unchecked_ref()));
    let callbacks = vec![on_open, on_message, on_close];
    let forget = |ws: &web_sys::WebSocket| {
        ws.set_onopen(None);
        ws.set_onmessage(None);
        ws.set_onclose(None);
        ws.set_onerror(None);
        let _ = ws.close();
    };
    match opened.await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            forget(&ws);
            return Err(error);
        }
        Err(_) => {
            forget(&ws);
            return Err("the connection failed".into());
        }
    }
    let (outgoing, mut to_send) = mpsc::unbounded::<String>();
    spawn(async move {
        let _callbacks = callbacks;
        while let Some(text) = to_send.next().await {
            if ws.send_with_str(&text).is_err() {
                break;
            }
        }
        forget(&ws);
    });
    Ok((outgoing, incoming))
}
