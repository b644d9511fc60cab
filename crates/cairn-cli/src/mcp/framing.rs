//! The stdio framing in front of rmcp: one JSON-RPC message per line. A line that is not JSON
//! or is too long gets the JSON-RPC error the specification asks for (rmcp would drop it
//! without a word, and the client would wait for ever); every other line passes through.

use std::sync::Arc;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::Mutex;

/// The longest request line taken: far above any real request (arguments are bounded much
/// lower, and refused by the tools with their own kind), low enough that a runaway client
/// cannot make the server hold gigabytes.
pub const MAX_LINE: usize = 4 << 20;
/// How much of an overlong line is kept, to find the request's id in it.
const HEAD: usize = 4096;

type Out<W> = Arc<Mutex<W>>;

/// Relays `input` to rmcp's end of a pipe and rmcp's answers to `output`, until `input` ends.
/// Returns the stream rmcp serves on.
pub fn relay<R, W>(input: R, output: W) -> DuplexStream
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (ours, theirs) = tokio::io::duplex(1 << 16);
    let (from_server, mut to_server) = tokio::io::split(ours);
    let out: Out<W> = Arc::new(Mutex::new(output));
    let answers = out.clone();
    tokio::spawn(async move {
        let mut lines = BufReader::new(from_server).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if write_line(&answers, &line).await.is_err() {
                return;
            }
        }
    });
    tokio::spawn(async move {
        let mut input = BufReader::new(input);
        loop {
            let line = match read_line(&mut input).await {
                Ok(Some(line)) => line,
                // End of input (or a broken stdin): the end of rmcp's input ends the service.
                Ok(None) | Err(_) => {
                    let _ = to_server.shutdown().await;
                    return;
                }
            };
            match check(&line) {
                Ok(()) => {
                    if to_server.write_all(line.as_bytes()).await.is_err()
                        || to_server.write_all(b"\n").await.is_err()
                    {
                        return;
                    }
                }
                Err(error) => {
                    if write_line(&out, &error.to_string()).await.is_err() {
                        return;
                    }
                }
            }
        }
    });
    theirs
}

async fn write_line<W: AsyncWrite + Unpin>(out: &Out<W>, line: &str) -> std::io::Result<()> {
    let mut out = out.lock().await;
    out.write_all(line.as_bytes()).await?;
    out.write_all(b"\n").await?;
    out.flush().await
}

/// Reads one line, or for a line over [`MAX_LINE`] a marker that it was too long (the rest
/// of it is skipped without being kept). `None` at the end of the input.
async fn read_line<R: AsyncBufReadExt + Unpin>(input: &mut R) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let buf = input.fill_buf().await?;
        if buf.is_empty() {
            return Ok((!line.is_empty() || too_long).then(|| finish(line, too_long)));
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !too_long && line.len() + chunk.len() > MAX_LINE {
            too_long = true;
            line.truncate(HEAD);
        }
        if !too_long {
            line.extend_from_slice(chunk);
        }
        let used = done.unwrap_or(buf.len());
        input.consume(used);
        if done.is_some() {
            return Ok(Some(finish(line, too_long)));
        }
    }
}

/// The line as text; a line that was too long becomes a marker [`check`] refuses, followed
/// by its first bytes.
fn finish(line: Vec<u8>, too_long: bool) -> String {
    if too_long {
        return format!("{TOO_LONG}{}", String::from_utf8_lossy(&line));
    }
    String::from_utf8_lossy(&line)
        .trim_end_matches('\r')
        .to_string()
}

const TOO_LONG: &str = "\u{0}too long";

/// Whether a line can go to rmcp: JSON, within bounds. Otherwise the error to answer with,
/// carrying the request's id when it can be read, so the client's call ends.
fn check(line: &str) -> Result<(), Value> {
    let error = |id: Value, code: i64, message: String, kind: &str| {
        json!({ "jsonrpc": "2.0", "id": id,
                "error": { "code": code, "message": message, "data": { "kind": kind } } })
    };
    if let Some(head) = line.strip_prefix(TOO_LONG) {
        let message = format!("request over {MAX_LINE} bytes; nothing was read or written");
        return Err(error(id_in(head), -32600, message, "too-large"));
    }
    if line.trim().is_empty() {
        return Ok(());
    }
    serde_json::from_str::<Value>(line).map(drop).map_err(|e| {
        error(
            id_in(line),
            -32700,
            format!("not JSON: {e}"),
            "bad-argument",
        )
    })
}

/// The `"id"` of a request that cannot be parsed whole, if its start shows one (clients put
/// `jsonrpc` and `id` first); `null` otherwise, as JSON-RPC asks.
fn id_in(head: &str) -> Value {
    let Some(at) = head.find("\"id\"") else {
        return Value::Null;
    };
    let rest = head[at + 4..]
        .trim_start()
        .strip_prefix(':')
        .unwrap_or("")
        .trim_start();
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    serde_json::from_str::<Value>(rest[..end].trim())
        .ok()
        .filter(|v| v.is_number() || v.is_string())
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lines_are_read_whole_and_an_overlong_one_becomes_a_marker() {
        let long = "x".repeat(MAX_LINE + 10);
        let input = format!("{{\"a\":1}}\n{long}\n{{\"b\":2}}");
        let mut reader = BufReader::with_capacity(64, input.as_bytes());
        assert_eq!(read_line(&mut reader).await.unwrap().unwrap(), "{\"a\":1}");
        assert!(read_line(&mut reader)
            .await
            .unwrap()
            .unwrap()
            .starts_with(TOO_LONG));
        assert_eq!(read_line(&mut reader).await.unwrap().unwrap(), "{\"b\":2}");
        assert!(read_line(&mut reader).await.unwrap().is_none());
    }

    #[test]
    fn a_line_that_is_not_json_gets_a_parse_error() {
        let e = check("{\"jsonrpc\":").unwrap_err();
        assert_eq!(e["error"]["code"], -32700);
        assert_eq!(e["error"]["data"]["kind"], "bad-argument");
        let long = format!("{TOO_LONG}{{\"jsonrpc\":\"2.0\",\"id\": 42,\"method\":\"tools/call\",");
        let e = check(&long).unwrap_err();
        assert_eq!(
            (e["id"].clone(), e["error"]["data"]["kind"].clone()),
            (json!(42), json!("too-large"))
        );
        assert_eq!(
            check("{\"id\":\"a-1\",\"method\":").unwrap_err()["id"],
            "a-1"
        );
        assert!(check("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").is_ok());
    }
}
