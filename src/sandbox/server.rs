//! Serving connections. axum's own `serve` cannot cut a single connection
//! from inside a handler, and the `drop` fault needs exactly that: the
//! order is created, then the TCP connection is reset with no answer, as
//! when a network fails at the worst moment. So each connection is served
//! here with hyper, and a [`ConnectionCutter`] in every request's extensions
//! lets a handler ask for its connection to be reset.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::Service;

/// How long requests in flight may take to finish after a shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// Resets the connection a request arrived on.
#[derive(Clone, Default)]
pub struct ConnectionCutter(Arc<Notify>);

impl ConnectionCutter {
    pub fn cut(&self) {
        self.0.notify_one();
    }
}

pub async fn serve(listener: TcpListener, router: Router, mut stop: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    let connection_stop = stop.clone();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, router.clone(), connection_stop.clone()));
                }
                // Out of file descriptors and the like: pause rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            () = stopped(&mut stop) => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(SHUTDOWN_GRACE, drained).await.is_err() {
        connections.abort_all();
    }
}

async fn connection(stream: TcpStream, router: Router, mut stop: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    // A second descriptor of the same socket, to reset it when asked: the
    // first one is owned by hyper from here on.
    let Ok((stream, spare)) = split_descriptor(stream) else {
        return;
    };
    let cutter = ConnectionCutter::default();
    let service = {
        let cutter = cutter.clone();
        hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(cutter.clone());
            router.clone().call(request)
        })
    };
    let conn =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let mut stopping = false;
    loop {
        tokio::select! {
            _ = &mut conn => return,
            () = cutter.0.notified() => {
                // SO_LINGER 0 makes the close send RST: the client sees
                // "connection reset", not a clean end of stream.
                if let Ok(spare) = TcpStream::from_std(spare) {
                    let _ = spare.set_zero_linger();
                }
                return;
            }
            () = stopped(&mut stop), if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Resolves once a stop is asked for, or when the handle is gone.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}

fn split_descriptor(stream: TcpStream) -> std::io::Result<(TcpStream, std::net::TcpStream)> {
    let std_stream = stream.into_std()?;
    let spare = std_stream.try_clone()?;
    Ok((TcpStream::from_std(std_stream)?, spare))
}
