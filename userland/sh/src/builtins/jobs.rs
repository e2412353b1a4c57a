//! Job control builtins: jobs, fg, bg, kill, wait.

use wasmux_sys::Signal;

use super::{failure, usage, write_out};
use crate::exec::Flow;
use crate::jobs::State;
use crate::shell::{Shell, error_text};
use crate::traps::parse_signal;

/// The job an operand names: `%spec`, or a pid of one of its processes.
fn job_of(shell: &Shell, name: &str, spec: Option<&str>) -> Result<usize, i32> {
    let spec = spec.unwrap_or("%+");
    if spec.starts_with('%') {
        return shell.jobs.find(spec).map_err(|message| {
            let message = if spec == "%+" {
                "no current job".to_string()
            } else {
                message
            };
            failure(shell, name, &message)
        });
    }
    spec.parse::<u32>()
        .ok()
        .and_then(|pid| shell.jobs.with_pid(pid))
        .ok_or_else(|| failure(shell, name, &format!("{spec}: no such job")))
}

pub fn jobs(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let (letters, specs) = match super::options(&argv[1..], "lp") {
        Ok(parsed) => parsed,
        Err(message) => return Ok(usage(shell, "jobs", &message)),
    };
    shell.reap();
    let ids = if specs.is_empty() {
        shell.jobs.ids()
    } else {
        let mut ids = Vec::new();
        for spec in specs {
            match job_of(shell, "jobs", Some(spec)) {
                Ok(id) => ids.push(id),
                Err(status) => return Ok(status),
            }
        }
        ids
    };
    let mut text = String::new();
    for id in ids {
        let Some(job) = shell.jobs.get(id) else {
            continue;
        };
        let state = job.state();
        if letters.contains(&'p') {
            let pid = job.pgid.or_else(|| job.last_pid()).unwrap_or(0);
            text.push_str(&format!("{pid}\n"));
            continue;
        }
        let mut line = shell.jobs.line(job, state);
        if letters.contains(&'l') {
            let pids: Vec<String> = job.processes.iter().map(|p| p.pid.to_string()).collect();
            line = line.replacen("  ", &format!("  {} ", pids.join(",")), 1);
        }
        text.push_str(&line);
        text.push('\n');
        if let State::Done(_) = state {
            shell.jobs.remove(id);
        } else if let Some(job) = shell.jobs.get_mut(id) {
            job.reported = Some(state);
        }
    }
    Ok(write_out(shell, "jobs", &text))
}

/// Sends SIGCONT to a job and marks its processes running again.
fn continue_job(shell: &mut Shell, id: usize) -> Result<(), String> {
    let Some(job) = shell.jobs.get_mut(id) else {
        return Err("no such job".to_string());
    };
    let mut targets = Vec::new();
    for process in job
        .processes
        .iter_mut()
        .filter(|process| !process.finished())
    {
        process.status = None;
        targets.push(process.pid);
    }
    let result = match job.pgid {
        Some(pgid) => wasmux_sys::killpg(pgid, Signal::Cont),
        None => targets
            .iter()
            .try_for_each(|&pid| wasmux_sys::kill(pid as i32, Signal::Cont)),
    };
    result.map_err(|error| error_text(&error))
}

pub fn fg(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    if shell.terminal.is_none() && !shell.options.monitor {
        return Ok(failure(shell, "fg", "no job control"));
    }
    let id = match job_of(shell, "fg", argv.get(1).map(String::as_str)) {
        Ok(id) => id,
        Err(status) => return Ok(status),
    };
    let (text, pgid) = match shell.jobs.get(id) {
        Some(job) => (job.text.clone(), job.pgid),
        None => return Ok(1),
    };
    let _ = shell.out(&format!("{text}\n"));
    if let Some(job) = shell.jobs.get_mut(id) {
        job.background = false;
    }
    shell.jobs.touch(id);
    if let Some(pgid) = pgid {
        shell.give_terminal(pgid);
    }
    if let Err(message) = continue_job(shell, id) {
        shell.take_terminal();
        return Ok(failure(shell, "fg", &message));
    }
    let status = match shell.wait_job(id) {
        Some(state) => shell.finish_foreground(id, state),
        None => 0,
    };
    shell.take_terminal();
    Ok(status)
}

pub fn bg(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    if shell.terminal.is_none() && !shell.options.monitor {
        return Ok(failure(shell, "bg", "no job control"));
    }
    let specs: Vec<Option<&str>> = if argv.len() > 1 {
        argv[1..].iter().map(|spec| Some(spec.as_str())).collect()
    } else {
        vec![None]
    };
    let mut status = 0;
    for spec in specs {
        let id = match job_of(shell, "bg", spec) {
            Ok(id) => id,
            Err(failed) => {
                status = failed;
                continue;
            }
        };
        if let Some(job) = shell.jobs.get_mut(id) {
            job.background = true;
        }
        if let Err(message) = continue_job(shell, id) {
            status = failure(shell, "bg", &message);
            continue;
        }
        if let Some(job) = shell.jobs.get(id) {
            let line = format!("[{}]{} {} &\n", id, shell.jobs.mark(id), job.text);
            if let Some(job) = shell.jobs.get_mut(id) {
                job.reported = Some(State::Running);
            }
            let _ = shell.out(&line);
        }
    }
    Ok(status)
}

pub fn kill(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let mut args = &argv[1..];
    let mut signal = Some(Signal::Term);
    match args.first().map(String::as_str) {
        None => {
            return Ok(usage(
                shell,
                "kill",
                "usage: kill [-s sigspec | -signum | -sigspec] pid | jobspec ...",
            ));
        }
        Some("-l" | "-L") => return Ok(list_signals(shell, &args[1..])),
        Some("-s" | "-n") => {
            let Some(spec) = args.get(1) else {
                return Ok(usage(shell, "kill", "option requires an argument"));
            };
            match parse_signal(spec) {
                Some(parsed) => signal = parsed,
                None => {
                    return Ok(failure(
                        shell,
                        "kill",
                        &format!("{spec}: invalid signal specification"),
                    ));
                }
            }
            args = &args[2..];
        }
        Some("--") => args = &args[1..],
        Some(flag) if flag.starts_with('-') && flag.len() > 1 => {
            match parse_signal(&flag[1..]) {
                Some(parsed) => signal = parsed,
                None => {
                    return Ok(failure(
                        shell,
                        "kill",
                        &format!("{}: invalid signal specification", &flag[1..]),
                    ));
                }
            }
            args = &args[1..];
        }
        Some(_) => {}
    }
    if args.is_empty() {
        return Ok(usage(
            shell,
            "kill",
            "usage: kill [-s sigspec | -signum | -sigspec] pid | jobspec ...",
        ));
    }
    let mut status = 0;
    for target in args {
        let pid = if target.starts_with('%') {
            match shell.jobs.find(target) {
                Ok(id) => {
                    let job = shell.jobs.get(id);
                    match job.and_then(|job| {
                        job.pgid
                            .map(|pgid| -(pgid as i32))
                            .or_else(|| job.last_pid().map(|pid| pid as i32))
                    }) {
                        Some(pid) => pid,
                        None => continue,
                    }
                }
                Err(message) => {
                    status = failure(shell, "kill", &message);
                    continue;
                }
            }
        } else {
            match target.parse::<i32>() {
                Ok(pid) => pid,
                Err(_) => {
                    status = failure(
                        shell,
                        "kill",
                        &format!("{target}: arguments must be process or job IDs"),
                    );
                    continue;
                }
            }
        };
        let result = match signal {
            Some(signal) => wasmux_sys::kill(pid, signal),
            None => {
                if wasmux_sys::exists(pid) {
                    Ok(())
                } else {
                    Err(std::io::Error::from_raw_os_error(
                        wasmux_sys::Errno::Srch as i32,
                    ))
                }
            }
        };
        if let Err(error) = result {
            status = failure(
                shell,
                "kill",
                &format!("({target}) - {}", error_text(&error)),
            );
        }
    }
    Ok(status)
}

fn list_signals(shell: &Shell, args: &[String]) -> i32 {
    if let Some(arg) = args.first() {
        let number: u8 = match arg.parse::<i32>() {
            Ok(status) if status > 128 => (status - 128) as u8,
            Ok(status) => status as u8,
            Err(_) => {
                return match parse_signal(arg) {
                    Some(Some(signal)) => write_out(shell, "kill", &format!("{}\n", signal.raw())),
                    _ => failure(
                        shell,
                        "kill",
                        &format!("{arg}: invalid signal specification"),
                    ),
                };
            }
        };
        return match Signal::from_raw(number) {
            Some(signal) => write_out(shell, "kill", &format!("{}\n", signal.name())),
            None => failure(
                shell,
                "kill",
                &format!("{arg}: invalid signal specification"),
            ),
        };
    }
    let names: Vec<&str> = Signal::ALL.iter().map(|signal| signal.name()).collect();
    write_out(shell, "kill", &format!("{}\n", names.join(" ")))
}

pub fn wait(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    if argv.len() == 1 {
        for id in shell.jobs.ids() {
            if shell.jobs.get(id).is_some_and(|job| job.background) {
                shell.wait_job(id);
                shell.check_signals()?;
            }
        }
        shell.notify_jobs();
        return Ok(0);
    }
    let mut status = 0;
    for target in &argv[1..] {
        if target.starts_with('%') {
            status = match shell.jobs.find(target) {
                Ok(id) => {
                    shell.wait_job(id);
                    let pipefail = shell.options.pipefail;
                    let code = shell.jobs.get(id).map_or(0, |job| job.status(pipefail));
                    shell.jobs.remove(id);
                    code
                }
                Err(message) => {
                    failure(shell, "wait", &message);
                    127
                }
            };
            continue;
        }
        let Ok(pid) = target.parse::<u32>() else {
            status = failure(
                shell,
                "wait",
                &format!("`{target}': not a pid or valid job spec"),
            );
            continue;
        };
        status = match shell.jobs.with_pid(pid) {
            Some(id) => {
                shell.wait_job(id);
                let code = shell
                    .jobs
                    .get(id)
                    .and_then(|job| job.processes.iter().find(|process| process.pid == pid))
                    .and_then(|process| process.status)
                    .map_or(0, |status| status.shell_code());
                if shell
                    .jobs
                    .get(id)
                    .is_some_and(|job| matches!(job.state(), State::Done(_)))
                {
                    shell.jobs.remove(id);
                }
                code
            }
            None => match shell.jobs.finished_status(pid) {
                Some(code) => code,
                None => {
                    failure(
                        shell,
                        "wait",
                        &format!("pid {pid} is not a child of this shell"),
                    );
                    127
                }
            },
        };
    }
    Ok(status)
}
