//! Guided picking (`/shortlist`): validators ranked by what the user says matters, in order
//! (last-epoch yield, low take, trust, spread-out stake, permits), optionally on one subnet, each
//! with warnings that say what could go wrong and why. The choice lives in the URL, so a
//! shortlist can be shared.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use light_client::model::Validator;

use crate::components::method::MethodNotes;
use crate::components::provenance::ProvenanceLine;
use crate::components::state::Pending;
use crate::components::url_state::{Notices, use_replace_url};
use crate::data::use_validators;
use crate::format;
use crate::names::{shown, validator_name};
use crate::query;

/// What a staker can rank by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Criterion {
    /// Higher last-epoch APY.
    Yield,
    /// Lower take.
    Take,
    /// Higher validator trust.
    Trust,
    /// A smaller share of all delegated stake (spreading stake over operators).
    Spread,
    /// More subnets with a permit.
    Permits,
}

const CRITERIA: [Criterion; 5] = [
    Criterion::Yield,
    Criterion::Take,
    Criterion::Trust,
    Criterion::Spread,
    Criterion::Permits,
];

impl Criterion {
    fn key(self) -> &'static str {
        match self {
            Criterion::Yield => "yield",
            Criterion::Take => "take",
            Criterion::Trust => "trust",
            Criterion::Spread => "spread",
            Criterion::Permits => "permits",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Criterion::Yield => "Higher APY",
            Criterion::Take => "Lower take",
            Criterion::Trust => "Higher trust",
            Criterion::Spread => "Less concentrated stake",
            Criterion::Permits => "More permits",
        }
    }

    fn from_key(key: &str) -> Option<Criterion> {
        CRITERIA.into_iter().find(|c| c.key() == key)
    }
}

/// Take above finney's default (18 %) is flagged.
const DEFAULT_TAKE: f64 = 11_796.0 / 65_535.0;
/// Validator trust under this is flagged.
const LOW_TRUST: f64 = 0.8;
/// A share of all delegated stake at or above this is flagged.
const DOMINANT_SHARE: f64 = 0.10;

/// Something a staker should know before choosing a validator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Warning {
    /// Take above the network's default.
    HighTake(f64),
    /// Validator trust under `LOW_TRUST`.
    LowTrust(f64),
    /// No permit on the chosen subnet.
    NoPermit(u16),
    /// At least `DOMINANT_SHARE` of all delegated stake.
    DominantStake(f64),
    /// The last epoch paid nothing where it validates.
    NoYield,
}

impl Warning {
    /// The warning in a few words.
    pub(crate) fn title(&self) -> String {
        match self {
            Warning::HighTake(take) => format!("Take {}", format::percent(*take)),
            Warning::LowTrust(trust) => format!("Trust {trust:.2}"),
            Warning::NoPermit(netuid) => format!("No permit on subnet {netuid}"),
            Warning::DominantStake(share) => format!("Holds {} of all stake", format::percent(*share)),
            Warning::NoYield => "No yield recorded".to_string(),
        }
    }

    /// Why it matters.
    pub(crate) fn explanation(&self) -> String {
        match self {
            Warning::HighTake(_) => "Above the network's default take of 18 %: the validator keeps more of each dividend before nominators are paid.".into(),
            Warning::LowTrust(_) => format!("Below {LOW_TRUST}: much of its weight disagreed with consensus at the last epoch, which lowers what it earns for its nominators."),
            Warning::NoPermit(netuid) => format!("It holds no validator permit on subnet {netuid}, so stake there earns it no dividends until it gets one."),
            Warning::DominantStake(_) => format!("At least {} of all delegated stake sits with this one operator: choosing a smaller validator spreads the network's security.", format::percent(DOMINANT_SHARE)),
            Warning::NoYield => "The last epoch paid it no dividends where it validates (or it validates nowhere): there is no yield figure to judge it by.".into(),
        }
    }
}

/// The user's choice: criteria in order of importance and, optionally, a subnet.
#[derive(Debug, Clone, PartialEq)]
struct Preferences {
    by: Vec<Criterion>,
    subnet: Option<u16>,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            by: vec![Criterion::Yield, Criterion::Trust, Criterion::Take],
            subnet: None,
        }
    }
}

impl Preferences {
    fn from_query(get: impl Fn(&str) -> Option<String>) -> (Preferences, Vec<String>) {
        let mut notices = Vec::new();
        let mut preferences = Preferences::default();
        if let Some(raw) = get("by").filter(|raw| !raw.trim().is_empty()) {
            let mut by = Vec::new();
            for key in raw.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                match Criterion::from_key(key) {
                    Some(criterion) if !by.contains(&criterion) => by.push(criterion),
                    Some(_) => {}
                    None => notices.push(format!(
                        "Ignored {} in by=: not a criterion (yield, take, trust, spread, permits).",
                        crate::query::quoted(key)
                    )),
                }
            }
            if !by.is_empty() {
                preferences.by = by;
            }
        }
        preferences.subnet = get("subnet").filter(|s| !s.trim().is_empty()).and_then(|raw| {
            let parsed = raw.trim().parse::<u16>().ok();
            if parsed.is_none() {
                notices.push(format!(
                    "Ignored subnet={}: not a subnet id.",
                    crate::query::quoted(&raw)
                ));
            }
            parsed
        });
        (preferences, notices)
    }

    fn to_query(&self) -> String {
        let by = self.by.iter().map(|c| c.key()).collect::<Vec<_>>().join(",");
        query::query_string(&[
            ("by", (self.by != Preferences::default().by).then_some(by)),
            ("subnet", self.subnet.map(|s| s.to_string())),
        ])
    }
}

/// One validator on the shortlist.
#[derive(Debug, Clone, PartialEq)]
struct Pick {
    validator: Validator,
    /// 0–1: the criteria's percentile ranks, weighted by their order.
    score: f64,
    apy: Option<f64>,
    trust: Option<f64>,
    stake_share: f64,
    warnings: Vec<Warning>,
}

/// Percentile of `value` among `all` (0 = worst, 1 = best), `None` values ranking worst.
fn percentile(value: Option<f64>, all: &[Option<f64>], higher_is_better: bool) -> f64 {
    let Some(value) = value else { return 0.0 };
    let known: Vec<f64> = all.iter().flatten().copied().collect();
    if known.len() <= 1 {
        return 1.0;
    }
    let better = |other: f64| if higher_is_better { other < value } else { other > value };
    let beaten = known.iter().filter(|other| better(**other)).count();
    beaten as f64 / (known.len() - 1) as f64
}

/// When a warning is raised, for the method folds of the pages that show warnings.
pub(crate) fn warnings_method() -> String {
    format!(
        "Take above 18 %; validator trust below {LOW_TRUST}; no permit on the chosen subnet; {} or more of all delegated stake; no dividends at the last epoch. Warnings about change over time (a take raised recently, trust falling) would need every candidate's history; this browser records it only for validators you star, so none is shown rather than a guess.",
        format::percent(DOMINANT_SHARE)
    )
}

/// The APY and validator trust a validator is judged by: its seat's on `subnet` (none without a
/// seat there), else its stake-weighted APY and mean trust.
fn judged(v: &Validator, subnet: Option<u16>) -> (Option<f64>, Option<f64>) {
    match subnet {
        Some(netuid) => match v.subnets.iter().find(|s| s.netuid == netuid) {
            Some(seat) => (seat.apy(), (!seat.null_consensus).then_some(seat.validator_trust)),
            None => (None, None),
        },
        None => (v.apy(), v.mean_validator_trust()),
    }
}

/// `v`'s share of `total_stake_rao`, all delegated stake (0 when there is none).
pub(crate) fn stake_share(v: &Validator, total_stake_rao: f64) -> f64 {
    if total_stake_rao > 0.0 {
        v.stake_tao_equivalent_rao as f64 / total_stake_rao
    } else {
        0.0
    }
}

/// What could go wrong with `v` (on `subnet`, when one is chosen), holding `stake_share` of all
/// delegated stake: the shortlist's warnings, which the comparison shows too.
pub(crate) fn warnings(v: &Validator, subnet: Option<u16>, stake_share: f64) -> Vec<Warning> {
    let (apy, trust) = judged(v, subnet);
    let mut warnings = Vec::new();
    if v.take > DEFAULT_TAKE + 1e-9 {
        warnings.push(Warning::HighTake(v.take));
    }
    if let Some(trust) = trust.filter(|t| *t < LOW_TRUST) {
        warnings.push(Warning::LowTrust(trust));
    }
    if let Some(netuid) = subnet.filter(|n| !v.subnets.iter().any(|s| s.netuid == *n)) {
        warnings.push(Warning::NoPermit(netuid));
    }
    if stake_share >= DOMINANT_SHARE {
        warnings.push(Warning::DominantStake(stake_share));
    }
    if apy.is_none_or(|a| a <= 0.0) {
        warnings.push(Warning::NoYield);
    }
    warnings
}

/// Ranks `validators` by `preferences`: the first criterion weighs most (n, n − 1, …, 1).
fn shortlist(validators: &[Validator], preferences: &Preferences) -> Vec<Pick> {
    let total_stake: f64 = validators.iter().map(|v| v.stake_tao_equivalent_rao as f64).sum();
    let mut picks: Vec<Pick> = validators
        .iter()
        .map(|v| {
            let (apy, trust) = judged(v, preferences.subnet);
            let stake_share = stake_share(v, total_stake);
            Pick {
                validator: v.clone(),
                score: 0.0,
                apy,
                trust,
                stake_share,
                warnings: warnings(v, preferences.subnet, stake_share),
            }
        })
        .collect();
    let column = |criterion: Criterion, pick: &Pick| -> Option<f64> {
        match criterion {
            Criterion::Yield => pick.apy,
            Criterion::Take => Some(pick.validator.take),
            Criterion::Trust => pick.trust,
            Criterion::Spread => Some(pick.stake_share),
            Criterion::Permits => Some(pick.validator.subnets.len() as f64),
        }
    };
    let weights: Vec<f64> = (1..=preferences.by.len()).rev().map(|w| w as f64).collect();
    let weight_sum: f64 = weights.iter().sum();
    let scores: Vec<f64> = picks
        .iter()
        .map(|pick| {
            preferences
                .by
                .iter()
                .zip(&weights)
                .map(|(criterion, weight)| {
                    let all: Vec<Option<f64>> = picks.iter().map(|p| column(*criterion, p)).collect();
                    let higher_is_better = !matches!(criterion, Criterion::Take | Criterion::Spread);
                    weight * percentile(column(*criterion, pick), &all, higher_is_better)
                })
                .sum::<f64>()
                / weight_sum
        })
        .collect();
    for (pick, score) in picks.iter_mut().zip(scores) {
        pick.score = score;
    }
    picks.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.warnings.len().cmp(&b.warnings.len()))
    });
    picks
}

/// How many picks the page shows.
const SHOWN: usize = 10;

#[component]
fn PickCard(rank: usize, pick: Pick) -> impl IntoView {
    let v = &pick.validator;
    let (href, title, name) = (format!("/validators/{}", v.hotkey), v.name.clone(), validator_name(v));
    let figures = format!(
        "APY {} · take {} · trust {} · {} of all stake · {} permits",
        format::rate(pick.apy),
        format::percent(v.take),
        pick.trust.map_or("—".to_string(), |t| format!("{t:.2}")),
        format::percent(pick.stake_share),
        v.subnets.len()
    );
    let warnings = pick
        .warnings
        .iter()
        .map(|w| view! { <li class="warning"><strong>{w.title()}</strong>": "{w.explanation()}</li> })
        .collect_view();
    let clean = pick.warnings.is_empty();
    let score = format!("score {:.0}", pick.score * 100.0);
    view! {
        <li class="pick">
            <div class="pick-head">
                <span class="pick-rank">{format!("#{rank}")}</span>
                <A href=href attr:class="name-cell" attr:title=title><bdi>{shown(&name)}</bdi></A>
                <span class="pick-score" title="0–100: the criteria's percentile ranks, weighted by their order">{score}</span>
            </div>
            <p class="pick-figures">{figures}</p>
            {if clean {
                view! { <p class="muted">"No warnings."</p> }.into_any()
            } else {
                view! { <ul class="warnings">{warnings}</ul> }.into_any()
            }}
        </li>
    }
}

/// The shortlist page.
#[component]
pub fn Shortlist() -> impl IntoView {
    let live = use_validators();
    let query = use_query_map();
    let parsed = Memo::new(move |_| {
        query.with(|q| query::read_all(&query::pairs(q), &[], |get| Preferences::from_query(|name| get(name))))
    });
    let preferences = Signal::derive(move || parsed.get().0);
    let notices = Signal::derive(move || parsed.get().1);
    let replace_url = use_replace_url();
    let set = Callback::new(move |next: Preferences| replace_url.run(format!("/shortlist{}", next.to_query())));
    let picks = Memo::new(move |_| {
        live.data
            .with(|d| d.as_ref().map(|d| preferences.with(|p| shortlist(&d.data, p))))
    });
    let toggle = move |criterion: Criterion| {
        let mut next = preferences.get_untracked();
        if let Some(at) = next.by.iter().position(|c| *c == criterion) {
            if next.by.len() > 1 {
                next.by.remove(at);
            }
        } else {
            next.by.push(criterion);
        }
        set.run(next);
    };
    let criteria = CRITERIA
        .into_iter()
        .map(|criterion| {
            let order = move || preferences.with(|p| p.by.iter().position(|c| *c == criterion));
            view! {
                <button type="button" class="button chip" aria-pressed=move || order().is_some().to_string()
                    on:click=move |_| toggle(criterion)>
                    {move || order().map(|i| format!("{}. ", i + 1))}{criterion.label()}
                </button>
            }
        })
        .collect_view();
    view! {
        <section class="page" aria-labelledby="page-title">
            <p class="breadcrumb"><A href="/validators">"Validators"</A>" / Shortlist"</p>
            <h1 id="page-title">"Pick a validator"</h1>
            <p class="lede">"Choose what matters, in order: the first choice weighs most. The ranking uses only what the chain records at the finalized block; the link carries your choice."</p>
            <Notices notices=notices/>
            <div class="criteria" role="group" aria-label="Rank by">{criteria}</div>
            <form class="filters" on:submit=|event| event.prevent_default() aria-label="Subnet">
                <label>"On subnet (optional)"
                    <input type="number" min="0" max="65535" step="1" inputmode="numeric"
                        prop:value=move || preferences.get().subnet.map(|s| s.to_string()).unwrap_or_default()
                        on:change=move |event| {
                            let mut next = preferences.get_untracked();
                            next.subnet = event_target_value(&event).trim().parse().ok();
                            set.run(next);
                        }/>
                </label>
            </form>
            <Show when=move || live.data.with(Option::is_some) fallback=move || view! { <Pending what="validators" error=live.error/> }>
                <ProvenanceLine provenance=live.provenance/>
                <ol class="picks" aria-label="Shortlist">
                    {move || picks.get().unwrap_or_default().into_iter().take(SHOWN).enumerate()
                        .map(|(i, pick)| view! { <PickCard rank=i + 1 pick=pick/> }).collect_view()}
                </ol>
                {move || {
                    let top: Vec<String> = picks.with(|p| {
                        p.iter().flatten().take(query::MAX_COMPARED).map(|p| p.validator.hotkey.clone()).collect()
                    });
                    (top.len() >= query::MIN_COMPARED).then(|| view! {
                        <p class="compare-action">
                            <A href=query::compare_path(&top) attr:class="button">{format!("Compare the top {}", top.len())}</A>
                            " side by side: take, stake, trust and APY per subnet, root baskets and these warnings, at one block."
                        </p>
                    })
                }}
            </Show>
            <MethodNotes summary="How the shortlist is made">
                <dt>"Score"</dt>
                <dd>"For each chosen criterion, a validator's percentile among all delegates (1 = best); the first criterion weighs n, the next n − 1, … 1; the score is their weighted mean. APY and trust are the chosen subnet's, or otherwise the validator's stake-weighted APY and mean trust (see the validators page's method)."</dd>
                <dt>"Warnings"</dt>
                <dd>{warnings_method()}</dd>
            </MethodNotes>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::fixtures::validator;

    fn prefs(pairs: &[(&str, &str)]) -> (Preferences, Vec<String>) {
        Preferences::from_query(|name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()))
    }

    fn network() -> Vec<Validator> {
        vec![
            validator("Rich", 0.25, 900, &[(1, 0.95, 2)]),
            validator("Lean", 0.09, 50, &[(1, 0.5, 1), (2, 0.9, 1)]),
            validator("Idle", 0.18, 50, &[]),
        ]
    }

    #[test]
    fn the_first_criterion_decides_most() {
        let names = |pairs: &[(&str, &str)]| {
            shortlist(&network(), &prefs(pairs).0)
                .iter()
                .map(|p| p.validator.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&[("by", "yield")]), ["Rich", "Lean", "Idle"]);
        assert_eq!(names(&[("by", "take")]), ["Lean", "Idle", "Rich"]);
        assert_eq!(names(&[("by", "spread,permits")]), ["Lean", "Idle", "Rich"]);
    }

    #[test]
    fn warnings_name_what_could_go_wrong() {
        let picks = shortlist(&network(), &prefs(&[("subnet", "2")]).0);
        let warnings = |name: &str| {
            picks
                .iter()
                .find(|p| p.validator.name == name)
                .unwrap()
                .warnings
                .clone()
        };
        let rich = warnings("Rich");
        assert!(
            rich.contains(&Warning::HighTake(0.25)) && rich.contains(&Warning::NoPermit(2)),
            "{rich:?}"
        );
        assert!(
            rich.iter()
                .any(|w| matches!(w, Warning::DominantStake(share) if *share == 0.9))
        );
        assert!(
            warnings("Lean").is_empty(),
            "trust 0.9 and a yield on subnet 2: {:?}",
            warnings("Lean")
        );
        let overall = shortlist(&network(), &Preferences::default());
        let lean = &overall.iter().find(|p| p.validator.name == "Lean").unwrap().warnings;
        assert!(
            matches!(lean.as_slice(), [Warning::LowTrust(trust)] if (trust - 0.7).abs() < 1e-12),
            "mean trust over both subnets is 0.7: {lean:?}"
        );
    }

    #[test]
    fn the_choice_round_trips_through_the_url_and_bad_keys_are_named() {
        let (parsed, notices) = prefs(&[("by", "take,evil,take,trust"), ("subnet", "x")]);
        assert_eq!(parsed.by, vec![Criterion::Take, Criterion::Trust]);
        assert_eq!(parsed.subnet, None);
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert_eq!(parsed.to_query(), "?by=take%2Ctrust");
        assert_eq!(Preferences::default().to_query(), "");
        for warning in [
            Warning::HighTake(0.3),
            Warning::LowTrust(0.1),
            Warning::NoPermit(4),
            Warning::DominantStake(0.5),
            Warning::NoYield,
        ] {
            assert!(!warning.title().is_empty() && warning.explanation().len() > 40);
        }
    }
}
