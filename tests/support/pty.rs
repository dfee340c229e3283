//! Running a program in a pseudo-terminal and reading its screen.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

/// The wizard in an 80x24 pty, with everything it wrote.
pub struct Session {
    pub child: Box<dyn Child + Send + Sync>,
    output: Arc<Mutex<Vec<u8>>>,
    /// The reader saw the end of the output (the child and its pty closed).
    drained: Arc<std::sync::atomic::AtomicBool>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    /// Where the output was when the terminal took each new size (rows,
    /// columns), so the screen is replayed at the size it was drawn for.
    sizes: Vec<(usize, u16, u16)>,
}

impl Session {
    /// Starts `program` in an 80x24 pty, in the crate's directory.
    pub fn start(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("LANG", "C.UTF-8");
        // English unless a test asks otherwise, whatever the machine's locale.
        cmd.env("FLEXUS_LANG", "en");
        // The wizard's screens even when the tests run under TERM=dumb
        // (which would choose the line mode), unless a test asks for it.
        cmd.env("FLEXUS_ACCESSIBLE", "0");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let sink = output.clone();
        let drained = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let all_read = drained.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
            all_read.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let writer = pair.master.take_writer().unwrap();
        Session {
            child,
            output,
            drained,
            writer,
            master: pair.master,
            sizes: vec![(0, 24, 80)],
        }
    }

    /// Resizes the terminal, as dragging the window does (SIGWINCH).
    #[allow(dead_code)]
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let at = self.output.lock().unwrap().len();
        self.sizes.push((at, rows, cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    pub fn screen(&self) -> String {
        let size = |n| std::num::NonZeroU16::new(n).expect("not zero");
        let output = self.output.lock().unwrap();
        let mut parser = vt100::Parser::new(size(24), size(80), 0);
        let mut from = 0;
        for &(at, rows, cols) in &self.sizes {
            let at = at.min(output.len());
            parser.process(&output[from..at]);
            parser.screen_mut().set_size(size(rows), size(cols));
            from = at;
        }
        parser.process(&output[from..]);
        parser.screen().contents()
    }

    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} never appeared; the screen:\n{}", self.screen());
    }

    pub fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                // What it wrote last (leaving the alternate screen) may
                // still be in the pty: read to the end before anyone looks.
                while !self.drained.load(std::sync::atomic::Ordering::SeqCst)
                    && Instant::now() < deadline
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the wizard did not exit; the screen:\n{}", self.screen());
    }

    /// The terminal modes left behind, as the pty reports them.
    pub fn local_modes(&self) -> String {
        let termios = self.master.get_termios().expect("a unix pty");
        format!("{:?}", termios.local_flags)
    }

    /// Whether everything switched on at the start was switched off after.
    pub fn assert_terminal_given_back(&self) {
        let raw = self.raw();
        let entered = raw
            .find("\x1b[?1049h")
            .expect("the alternate screen was used");
        let left = raw
            .rfind("\x1b[?1049l")
            .expect("the alternate screen was left");
        assert!(left > entered);
        assert!(
            raw[entered..].contains("\x1b[?2004l"),
            "bracketed paste is off again"
        );
        if raw[entered..].contains("\x1b[?1000h") {
            assert!(
                raw[entered..].contains("\x1b[?1000l"),
                "mouse reports are off again"
            );
        }
        assert!(raw[left..].contains("\x1b[?25h") || raw[entered..left].contains("\x1b[?25h"));
        let modes = self.local_modes();
        assert!(
            modes.contains("ICANON") && modes.contains("ECHO"),
            "cooked mode again: {modes}"
        );
    }
}
