//! Scan benchmark (issue 5): a cold and a warm scan of a generated 1,500-PR corpus
//! through the local fake GitHub with the real `clawtriage serve` (embedded Postgres and
//! Redis), sampling the whole stack's memory; then ingest time per PR with 1k and with
//! 20k PRs already indexed (`SCAN_BENCH_INDEXED`). Prints figures; asserts nothing.
//!
//! `cargo bench --bench scan` (release build). `SCAN_BENCH_PRS` changes the corpus size,
//! `SCAN_BENCH_SKIP_INGEST=1` skips the 20k-PR ingest part; then issue analysis with
//! `SCAN_BENCH_ISSUES` (5,000) issues indexed (`SCAN_BENCH_SKIP_ISSUES=1` skips it,
//! `SCAN_BENCH_ONLY_ISSUES=1` runs only it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use clawtriage::fake_github::{FakeConfig, FakeGithub};
use clawtriage::scan::engine::Engine;
use clawtriage::scan::ingest;
use clawtriage::scan::source::{
    ChangedFile, IssueListing, Listing, PrSource, SourceError, SourceUsage,
};
use clawtriage::storage::issues::IssueUpsert;
use clawtriage::storage::prs::{self, PrUpsert};
use clawtriage::storage::repos::{self, RepoUpsert};
use clawtriage::testing::free_port;
use clawtriage::worker::jobs::IngestPr;
use futures::StreamExt;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_clawtriage");

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        if std::env::var("SCAN_BENCH_ONLY_ISSUES").is_ok() {
            return issue_bench().await;
        }
        let count: usize = std::env::var("SCAN_BENCH_PRS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1500);
        let dir = tempfile::tempdir()?;
        let corpus = generate_corpus(dir.path(), count)?;
        scan_bench(dir.path()).await?;
        if std::env::var("SCAN_BENCH_SKIP_INGEST").is_err() {
            ingest_bench(&corpus).await?;
        }
        if std::env::var("SCAN_BENCH_SKIP_ISSUES").is_err() {
            issue_bench().await?;
        }
        Ok(())
    })
}

fn generate_corpus(out: &Path, count: usize) -> anyhow::Result<PathBuf> {
    let started = Instant::now();
    let status = Command::new("python3")
        .args(["scripts/gen_corpus.py", "--seed", "7", "--count"])
        .arg(count.to_string())
        .arg("--out")
        .arg(out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .status()
        .context("python3 scripts/gen_corpus.py")?;
    if !status.success() {
        bail!("corpus generation failed");
    }
    println!(
        "corpus: {count} PRs generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(out.join("acme/webapp"))
}

// ---- cold and warm scan through the real stack ------------------------------------

/// PSS of a process tree, sampled until stopped; keeps the peak (KiB).
struct MemorySampler {
    stop: Arc<AtomicBool>,
    peak_kib: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl MemorySampler {
    fn start(root_pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak_kib = Arc::new(AtomicU64::new(0));
        let thread = std::thread::spawn({
            let (stop, peak) = (Arc::clone(&stop), Arc::clone(&peak_kib));
            move || {
                while !stop.load(Ordering::Relaxed) {
                    let total = tree_pss_kib(root_pid);
                    peak.fetch_max(total, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        });
        Self {
            stop,
            peak_kib,
            thread: Some(thread),
        }
    }

    fn reset(&self) {
        self.peak_kib.store(0, Ordering::Relaxed);
    }

    fn peak_mib(&self) -> f64 {
        self.peak_kib.load(Ordering::Relaxed) as f64 / 1024.0
    }
}

impl Drop for MemorySampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Sum of PSS over `root` and its descendants.
fn tree_pss_kib(root: u32) -> u64 {
    let mut parent_of = HashMap::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                && let Some(rest) = stat.rsplit(')').next()
                && let Some(ppid) = rest.split_whitespace().nth(1)
                && let Ok(ppid) = ppid.parse::<u32>()
            {
                parent_of.insert(pid, ppid);
            }
        }
    }
    let in_tree = |mut pid: u32| loop {
        if pid == root {
            return true;
        }
        match parent_of.get(&pid) {
            Some(&p) if p > 1 => pid = p,
            _ => return false,
        }
    };
    parent_of
        .keys()
        .filter(|pid| in_tree(**pid))
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok())
        .filter_map(|text| {
            text.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .sum()
}

struct Serve {
    child: Child,
    port: u16,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.child.id() as i32),
            nix::sys::signal::Signal::SIGTERM,
        );
        let _ = self.child.wait();
    }
}

async fn scan_bench(corpus_root: &Path) -> anyhow::Result<()> {
    let github = FakeGithub::start(corpus_root, FakeConfig::default()).await?;
    let data = tempfile::tempdir()?;
    let port = free_port();
    let child = Command::new(BIN)
        .arg("serve")
        .env("DATA_ROOT", data.path().join("data"))
        .env("PORT", port.to_string())
        .env("BIND_ADDR", "127.0.0.1")
        .env("EMBEDDED_PG_PORT", free_port().to_string())
        .env("EMBEDDED_REDIS_PORT", free_port().to_string())
        .env("GITHUB_API_URL", github.base_url())
        .env("OPS_TRIGGER_TOKEN", "bench")
        .env("PUBLIC_SCAN_ALLOWED_REPOS", "acme/webapp")
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("spawn clawtriage serve")?;
    let serve = Serve { child, port };
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{}", serve.port);
    let started = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{base}/api/health")).send().await
            && r.status().is_success()
        {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("serve not healthy");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sampler = MemorySampler::start(serve.child.id());
    tokio::time::sleep(Duration::from_millis(300)).await;
    println!("idle stack: {:.0} MiB PSS", sampler.peak_mib());

    sampler.reset();
    github.reset_counters();
    let (wall, scan) = run_scan(&client, &base, "bench-cold").await?;
    let listed = scan["counts"]["listed"].as_f64().unwrap_or(0.0);
    let enqueued = scan["counts"]["enqueued"].as_f64().unwrap_or(0.0);
    let log = github.requests();
    println!(
        "cold scan: {listed} open PRs ({enqueued} ingested incl. recently merged) in {:.2} s = {:.0} PRs/s; \
         {} GitHub requests = {:.3} per ingested PR; peak stack PSS {:.0} MiB",
        wall.as_secs_f64(),
        enqueued / wall.as_secs_f64(),
        log.total,
        log.total as f64 / enqueued.max(1.0),
        sampler.peak_mib()
    );

    let repo_id = scan["repoId"].as_i64().context("repo id")?;
    report_quality(&client, &base, repo_id, corpus_root).await?;

    sampler.reset();
    github.reset_counters();
    let (wall, scan) = run_scan(&client, &base, "bench-warm").await?;
    let log = github.requests();
    println!(
        "warm re-scan: {:.2} s; {} GitHub requests ({} answered 304), {} files requests, {} PRs re-ingested; peak stack PSS {:.0} MiB",
        wall.as_secs_f64(),
        log.total,
        scan["github"]["notModified"],
        log.count_all("GET /repos/{owner}/{repo}/pulls/{number}/files"),
        scan["counts"]["enqueued"],
        sampler.peak_mib()
    );
    drop(sampler);
    drop(serve);
    github.stop().await;
    Ok(())
}

/// The duplicate sets the service found against the corpus's truth: clusters whose
/// open members share one set, and look-alike pairs wrongly grouped.
async fn report_quality(
    client: &reqwest::Client,
    base: &str,
    repo_id: i64,
    corpus_root: &Path,
) -> anyhow::Result<()> {
    let mut set_of: HashMap<i64, usize> = HashMap::new();
    let mut cursor: Option<String> = None;
    let mut index = 0;
    loop {
        let mut url = format!("{base}/api/repos/{repo_id}/duplicate-sets?limit=100");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = client.get(url).send().await?.json().await?;
        for set in page["sets"].as_array().context("sets")? {
            for m in set["members"].as_array().context("members")? {
                set_of.insert(m["prNumber"].as_i64().unwrap_or_default(), index);
            }
            index += 1;
        }
        cursor = page["nextCursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    let truth: Value = serde_json::from_str(&std::fs::read_to_string(
        corpus_root.join("acme/webapp/truth.json"),
    )?)?;
    let open: std::collections::HashSet<i64> = {
        let mut open = std::collections::HashSet::new();
        for entry in std::fs::read_dir(corpus_root.join("acme/webapp/pulls"))? {
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(entry?.path())?)?;
            if doc["pull"]["state"] == "open" {
                open.insert(doc["pull"]["number"].as_i64().unwrap_or_default());
            }
        }
        open
    };
    let members = |g: &Value| -> Vec<i64> {
        g["members"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_i64).collect())
            .unwrap_or_default()
    };
    let (mut clusters, mut together) = (0, 0);
    for cluster in truth["clusters"].as_array().context("clusters")? {
        let present: Vec<i64> = members(cluster)
            .into_iter()
            .filter(|n| open.contains(n))
            .collect();
        if present.len() < 2 {
            continue;
        }
        clusters += 1;
        let homes: std::collections::HashSet<Option<&usize>> =
            present.iter().map(|n| set_of.get(n)).collect();
        if homes.len() == 1 && !homes.contains(&None) {
            together += 1;
        }
    }
    let (mut pairs, mut grouped) = (0, 0);
    for negative in truth["negatives"].as_array().context("negatives")? {
        let group = members(negative);
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                pairs += 1;
                if set_of.contains_key(a) && set_of.get(a) == set_of.get(b) {
                    grouped += 1;
                }
            }
        }
    }
    println!(
        "sets vs truth: {index} sets; {together}/{clusters} clusters found whole; {grouped}/{pairs} look-alike pairs wrongly grouped"
    );
    Ok(())
}

async fn run_scan(
    client: &reqwest::Client,
    base: &str,
    snapshot: &str,
) -> anyhow::Result<(Duration, Value)> {
    let started = Instant::now();
    let trigger: Value = client
        .post(format!("{base}/api/ops/public-scan"))
        .bearer_auth("bench")
        .json(&serde_json::json!({"owner": "acme", "repo": "webapp", "snapshot": snapshot}))
        .send()
        .await?
        .json()
        .await?;
    let job = trigger["jobId"].as_str().context("job id")?.to_owned();
    loop {
        let scan: Value = client
            .get(format!("{base}/api/ops/scans/{job}"))
            .send()
            .await?
            .json()
            .await?;
        if matches!(scan["status"].as_str(), Some("done" | "partial" | "failed")) {
            if scan["status"] != "done" {
                bail!("scan ended {}", scan);
            }
            return Ok((started.elapsed(), scan));
        }
        if started.elapsed() > Duration::from_secs(600) {
            bail!("scan not finished: {scan}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---- ingest time with 1k and 20k PRs indexed -------------------------------------

/// PR files from memory: the ingest path without the network.
struct MemorySource {
    files: HashMap<i32, Vec<ChangedFile>>,
}

impl PrSource for MemorySource {
    async fn repository(&self, _: &str, _: &str) -> Result<RepoUpsert, SourceError> {
        Err(SourceError::Permanent("not used".into()))
    }

    async fn open_pulls(&self, _: &str, _: &str, _: Option<usize>) -> Result<Listing, SourceError> {
        Err(SourceError::Permanent("not used".into()))
    }

    async fn recently_closed(
        &self,
        _: &str,
        _: &str,
        _: DateTime<Utc>,
    ) -> Result<Vec<PrUpsert>, SourceError> {
        Ok(Vec::new())
    }

    async fn files(&self, _: &str, _: &str, number: i32) -> Result<Vec<ChangedFile>, SourceError> {
        self.files
            .get(&number)
            .cloned()
            .ok_or_else(|| SourceError::Permanent(format!("no PR #{number}")))
    }

    async fn open_issues(&self, _: &str, _: &str) -> Result<IssueListing, SourceError> {
        Err(SourceError::Permanent("not used".into()))
    }

    async fn recently_closed_issues(
        &self,
        _: &str,
        _: &str,
        _: DateTime<Utc>,
    ) -> Result<Vec<IssueUpsert>, SourceError> {
        Ok(Vec::new())
    }

    async fn file_contents(
        &self,
        _: &str,
        _: &str,
        _: &str,
    ) -> Result<Option<String>, SourceError> {
        Ok(None)
    }

    fn usage(&self) -> SourceUsage {
        SourceUsage::default()
    }
}

/// A corpus PR: title, body, files.
type CorpusPr = (String, Option<String>, Vec<ChangedFile>);

fn load_prs(corpus: &Path) -> anyhow::Result<Vec<CorpusPr>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(corpus.join("pulls"))? {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(entry?.path())?)?;
        let files = doc["files"]
            .as_array()
            .context("files")?
            .iter()
            .map(|f| ChangedFile {
                path: f["filename"].as_str().unwrap_or_default().to_owned(),
                previous_path: f["previous_filename"].as_str().map(str::to_owned),
                status: f["status"].as_str().unwrap_or("modified").to_owned(),
                additions: f["additions"].as_u64().unwrap_or(0) as u32,
                deletions: f["deletions"].as_u64().unwrap_or(0) as u32,
                patch: f["patch"].as_str().map(str::to_owned),
            })
            .collect();
        out.push((
            doc["pull"]["title"].as_str().unwrap_or_default().to_owned(),
            doc["pull"]["body"].as_str().map(str::to_owned),
            files,
        ));
    }
    Ok(out)
}

/// `text` with its camelCase identifiers suffixed `V{k}`.
fn rename_identifiers(text: &str, k: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let camel = word.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && word.chars().any(|c| c.is_ascii_uppercase());
        out.push_str(word);
        if camel {
            out.push_str(&format!("V{k}"));
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Variant `k` of a PR: its camelCase identifiers and its directories renamed, so 20k
/// PRs keep the corpus's shape without being copies of each other.
fn variant(files: &[ChangedFile], k: usize) -> Vec<ChangedFile> {
    files
        .iter()
        .map(|f| ChangedFile {
            path: f.path.replacen("src/", &format!("src/m{k}/"), 1),
            previous_path: f.previous_path.clone(),
            status: f.status.clone(),
            additions: f.additions,
            deletions: f.deletions,
            patch: f.patch.as_deref().map(|p| rename_identifiers(p, k)),
        })
        .collect()
}

// ---- issue analysis with thousands of issues indexed -------------------------------

/// Analyses `SCAN_BENCH_ISSUES` issues (variants of the checked-in corpus's) into a
/// fresh database, then times single issues analysed on top of them.
async fn issue_bench() -> anyhow::Result<()> {
    const PROBES: usize = 100;
    let total: usize = std::env::var("SCAN_BENCH_ISSUES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/acme/webapp/issues");
    let mut base = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(entry?.path())?)?;
        base.push(doc["issue"].clone());
    }
    base.sort_by_key(|i| i["number"].as_i64());
    let db = clawtriage::testing::fresh_db().await;
    let engine = Engine::with_defaults()?;
    let repo = repos::upsert(
        &db,
        &RepoUpsert {
            github_id: 1,
            owner: "acme".into(),
            name: "webapp".into(),
            default_branch: "main".into(),
            html_url: None,
        },
    )
    .await?;
    let make = |n: usize| -> IssueUpsert {
        let k = n / base.len();
        let issue = &base[n % base.len()];
        let text = |key: &str| issue[key].as_str().map(|t| rename_identifiers(t, k));
        IssueUpsert {
            github_id: i64::try_from(n).unwrap_or_default() + 5_000_000,
            number: i32::try_from(n + 1).unwrap_or(i32::MAX),
            state: "open".into(),
            state_reason: None,
            title: text("title").unwrap_or_default(),
            body: text("body"),
            author_login: Some("bench".into()),
            labels: Vec::new(),
            html_url: None,
            comments: 0,
            created_at: None,
            updated_at: None,
            closed_at: None,
        }
    };
    let all: Vec<IssueUpsert> = (0..total).map(make).collect();
    for chunk in all.chunks(1000) {
        clawtriage::storage::issues::upsert_many(&db, repo.id, chunk).await?;
    }
    let started = Instant::now();
    let analysed = clawtriage::scan::issues::analyse_pending(&db, &engine, repo.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let took = started.elapsed();
    println!(
        "issues: {analysed} analysed in {:.1} s ({:.0} issues/s, one at a time)",
        took.as_secs_f64(),
        analysed as f64 / took.as_secs_f64()
    );
    let mut times = Vec::with_capacity(PROBES);
    for n in total..total + PROBES {
        clawtriage::storage::issues::upsert_many(&db, repo.id, &[make(n)]).await?;
        let started = Instant::now();
        clawtriage::scan::issues::analyse_pending(&db, &engine, repo.id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let duplicates: i64 =
        sqlx::query_scalar("SELECT count(*) FROM issue_edges WHERE category = 'DUPLICATE'")
            .fetch_one(&db)
            .await?;
    println!(
        "issue analysis with {total} indexed: {:.2} ms median, {:.2} ms p95 per new issue; {duplicates} DUPLICATE edges stored",
        times[times.len() / 2],
        times[times.len() * 95 / 100]
    );

    // Relating open PRs to the issues again (what a changed issue or vision costs): the
    // checked-in corpus's PRs, analysed once, then related in one pass.
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/acme/webapp");
    let prs_in = load_prs(&corpus)?;
    let mut files = HashMap::new();
    let mut pulls = Vec::new();
    for (n, (title, body, f)) in prs_in.iter().enumerate() {
        let number = i32::try_from(n + 1)?;
        files.insert(number, f.clone());
        pulls.push(PrUpsert {
            github_id: i64::from(number) + 9_000_000,
            number,
            state: "open".into(),
            draft: false,
            title: title.clone(),
            body: body.clone(),
            author_login: Some("bench".into()),
            html_url: None,
            head_sha: format!("{number:040x}"),
            head_ref: None,
            base_ref: Some("main".into()),
            base_sha: None,
            created_at: None,
            updated_at: None,
            closed_at: None,
            merged_at: None,
        });
    }
    prs::upsert_many(&db, repo.id, &pulls).await?;
    let source = MemorySource { files };
    for pull in &pulls {
        let job = IngestPr {
            repo_id: repo.id,
            pr_number: i64::from(pull.number),
            pr_id: pull.github_id,
            head_sha: pull.head_sha.clone(),
        };
        ingest::run(&db, &source, &engine, &job, true)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let repo_row = repos::get(&db, repo.id).await?.context("repo")?;
    let started = Instant::now();
    let related = clawtriage::scan::issues::relate_open_prs(&db, &engine, &repo_row)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let took = started.elapsed();
    println!(
        "relating {related} open PRs to {} issues: {:.1} s ({:.1} ms per PR)",
        total + PROBES,
        took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / related.max(1) as f64
    );
    Ok(())
}

async fn ingest_bench(corpus: &Path) -> anyhow::Result<()> {
    const PROBES: usize = 200;
    let total: usize = std::env::var("SCAN_BENCH_INDEXED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let db = clawtriage::testing::fresh_db().await;
    let engine = Arc::new(Engine::with_defaults()?);
    let repo = repos::upsert(
        &db,
        &RepoUpsert {
            github_id: 1,
            owner: "acme".into(),
            name: "webapp".into(),
            default_branch: "main".into(),
            html_url: None,
        },
    )
    .await?;
    let base = load_prs(corpus)?;
    // PRs 1..=total indexed in order; probes are extra PRs ingested (and timed) when
    // 1k and when 20k are indexed.
    let mut files = HashMap::new();
    let mut pulls = Vec::new();
    for n in 0..total + 2 * PROBES {
        let (title, body, f) = &base[n % base.len()];
        let number = i32::try_from(n + 1)?;
        files.insert(number, variant(f, n / base.len()));
        pulls.push(PrUpsert {
            github_id: i64::from(number) + 1_000_000,
            number,
            state: "open".into(),
            draft: false,
            title: title.clone(),
            body: body.clone(),
            author_login: Some("bench".into()),
            html_url: None,
            head_sha: format!("{number:040x}"),
            head_ref: None,
            base_ref: Some("main".into()),
            base_sha: None,
            created_at: None,
            updated_at: None,
            closed_at: None,
            merged_at: None,
        });
    }
    for chunk in pulls.chunks(1000) {
        prs::upsert_many(&db, repo.id, chunk).await?;
    }
    let source = Arc::new(MemorySource { files });
    let job = |number: usize| IngestPr {
        repo_id: repo.id,
        pr_number: number as i64,
        pr_id: number as i64 + 1_000_000,
        head_sha: format!("{number:040x}"),
    };
    let probe_at_1k: Vec<usize> = (total + 1..=total + PROBES).collect();
    let probe_at_20k: Vec<usize> = (total + PROBES + 1..=total + 2 * PROBES).collect();

    let index = |range: std::ops::RangeInclusive<usize>| {
        let (db, engine, source) = (db.clone(), Arc::clone(&engine), Arc::clone(&source));
        let jobs: Vec<IngestPr> = range.map(job).collect();
        async move {
            let started = Instant::now();
            let count = jobs.len();
            let mut stream = futures::stream::iter(jobs.into_iter().map(|j| {
                let (db, engine, source) = (db.clone(), Arc::clone(&engine), Arc::clone(&source));
                async move { ingest::run(&db, source.as_ref(), &engine, &j, true).await }
            }))
            .buffer_unordered(8);
            while let Some(result) = stream.next().await {
                result.map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            anyhow::Ok((count, started.elapsed()))
        }
    };
    let probe = |numbers: Vec<usize>| {
        let (db, engine, source) = (db.clone(), Arc::clone(&engine), Arc::clone(&source));
        async move {
            let mut times = Vec::with_capacity(numbers.len());
            for n in numbers {
                let started = Instant::now();
                ingest::run(&db, source.as_ref(), &engine, &job(n), true)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            anyhow::Ok((
                times[times.len() / 2],
                times.iter().sum::<f64>() / times.len() as f64,
            ))
        }
    };

    let (n, took) = index(1..=1000).await?;
    println!(
        "indexing: {n} PRs in {:.1} s ({:.0} PRs/s, 8 concurrent ingests)",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );
    let (median_1k, mean_1k) = probe(probe_at_1k).await?;
    let (n, took) = index(1001..=total).await?;
    println!(
        "indexing: {n} more PRs in {:.1} s ({:.0} PRs/s)",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );
    let (median_20k, mean_20k) = probe(probe_at_20k).await?;
    println!(
        "ingest per PR (one at a time): {median_1k:.2} ms median / {mean_1k:.2} ms mean with 1k indexed; \
         {median_20k:.2} ms median / {mean_20k:.2} ms mean with {total} indexed (ratio {:.2})",
        median_20k / median_1k
    );
    Ok(())
}
