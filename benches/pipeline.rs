//! Criterion micro-benchmarks for the parser, its field scanner, the
//! interpreter and the JSON renderer, over the sample log (and the shared corpus's large audit.log when
//! it is there). Run with `cargo bench`.

use std::hint::black_box;
use std::sync::Arc;

use auexplain::interpret::{self, Context, Style};
use auexplain::parse;
use auexplain::parse::fields::{Mode, Scanner};
use auexplain::record::{Origin, Record, Source};
use auexplain::render::json;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Lines to measure on: the shared corpus's 20,000-line audit.log, else the sample.
fn input() -> Vec<u8> {
    let corpus = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/aecid-parsergenerator/audit.log"
    );
    std::fs::read(corpus)
        .or_else(|_| std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.log")))
        .expect("a benchmark input")
}

fn records(data: &[u8]) -> Vec<Record> {
    let src = Source {
        file: Arc::from("bench"),
        line: 0,
    };
    let mut out = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        parse::parse_line(line, &src, &mut out);
    }
    out
}

fn bench(c: &mut Criterion) {
    let data = input();
    let recs = records(&data);
    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.sample_size(20);
    let src = Source {
        file: Arc::from("bench"),
        line: 0,
    };
    group.bench_function("parse", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for line in data.split(|&b| b == b'\n') {
                out.clear();
                black_box(parse::parse_line(line, &src, &mut out));
            }
        })
    });
    group.bench_function("scan", |b| {
        // The field scanner alone, over each record's body (after `): `).
        let bodies: Vec<&[u8]> = data
            .split(|&b| b == b'\n')
            .map(|line| match memchr::memmem::find(line, b"): ") {
                Some(p) => &line[p + 3..],
                None => line,
            })
            .collect();
        let mut fields = Vec::new();
        b.iter(|| {
            for body in &bodies {
                fields.clear();
                Scanner::new(body, Mode::Strict).scan(0, body.len(), Origin::Outer, &mut fields);
                black_box(fields.len());
            }
        })
    });
    group.bench_function("interpret", |b| {
        let mut buf = Vec::new();
        let ctx = Context::default();
        b.iter(|| {
            for rec in &recs {
                for i in 0..rec.fields.len() {
                    buf.clear();
                    black_box(interpret::interpret(rec, i, &ctx, Style::Human, &mut buf));
                }
            }
        })
    });
    // Each record with its own facts (arch, syscall, arguments), in both styles.
    for (label, style) in [
        ("interpret_in_context", Style::Human),
        ("interpret_ausearch", Style::Ausearch),
    ] {
        group.bench_function(label, |b| {
            let mut buf = Vec::new();
            b.iter(|| {
                for rec in &recs {
                    let ctx = Context::of(rec);
                    for i in 0..rec.fields.len() {
                        buf.clear();
                        black_box(interpret::interpret(rec, i, &ctx, style, &mut buf));
                    }
                }
            })
        });
    }
    group.bench_function("json", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for rec in &recs {
                out.clear();
                json::record(&mut out, rec);
                black_box(out.len());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
