//! Alerts on pages: the watcher that keeps every rule's store open and hands each verified value
//! to the alerts store, and the form (on `/alerts`, or behind an "Alert…" button where an item is
//! shown) that sets a rule from the item's current verified figures.

use leptos::prelude::*;
use light_client::model::Snapshot;

use crate::alerts::{self, Condition};
use crate::data::alerts::{AlertsStore, use_alerts};
use crate::data::history::use_history;
use crate::data::{AccountExits, Live, use_account, use_metagraph, use_subnets, use_validator, use_validators};
use crate::format;
use crate::names::{shown, subnet_name, validator_name};

/// Keeps the stores every rule reads open while the app runs (the subnets list, each watched
/// validator, each watched metagraph) and evaluates the rules on each new value.
#[component]
pub fn AlertsWatcher() -> impl IntoView {
    let Some(store) = use_alerts() else {
        return ().into_any();
    };
    let subnets = use_subnets();
    let history = use_history();
    let rule_ids = Memo::new(move |_| store.alerts.with(|a| a.rules.iter().map(|r| r.id).collect::<Vec<_>>()));
    Effect::new(move |_| {
        rule_ids.track();
        store.watching.track();
        subnets.data.with(|snapshot| {
            let Some(snapshot) = snapshot else { return };
            store.observe(snapshot, |condition| match condition {
                Condition::PriceMove { netuid, .. } => alerts::price_reading(&snapshot.data, *netuid),
                Condition::PriceMoveWithin { netuid, hours, .. } => history.and_then(|h| {
                    let start = js_sys::Date::now() - hours * 3_600_000.0;
                    h.history
                        .with_untracked(|history| alerts::window_move_reading(history, &snapshot.data, *netuid, start))
                }),
                Condition::NextSubnetPruned { netuid } => {
                    alerts::next_pruned_reading(&snapshot.data, *netuid, snapshot.block_number)
                }
                _ => None,
            });
        });
    });
    let validators = Memo::new(move |_| {
        store.alerts.with(|a| {
            let mut hotkeys: Vec<String> = a
                .rules
                .iter()
                .filter_map(|r| r.condition.validator().map(str::to_string))
                .collect();
            hotkeys.sort();
            hotkeys.dedup();
            hotkeys
        })
    });
    let metagraphs = Memo::new(move |_| {
        store.alerts.with(|a| {
            let mut netuids: Vec<u16> = a.rules.iter().filter_map(|r| r.condition.metagraph()).collect();
            netuids.sort_unstable();
            netuids.dedup();
            netuids
        })
    });
    let accounts = Memo::new(move |_| {
        store.alerts.with(|a| {
            let mut coldkeys: Vec<String> = a
                .rules
                .iter()
                .filter_map(|r| r.condition.account().map(str::to_string))
                .collect();
            coldkeys.sort();
            coldkeys.dedup();
            coldkeys
        })
    });
    view! {
        <For each=move || validators.get() key=|hotkey| hotkey.clone() let:hotkey>
            <WatchValidator store=store rule_ids=rule_ids hotkey=hotkey/>
        </For>
        <For each=move || accounts.get() key=|coldkey| coldkey.clone() let:coldkey>
            <WatchAccount store=store rule_ids=rule_ids coldkey=coldkey/>
        </For>
        <For each=move || metagraphs.get() key=|netuid| *netuid let:netuid>
            <WatchMetagraph store=store rule_ids=rule_ids netuid=netuid/>
        </For>
    }
    .into_any()
}

/// Hands each new value of `live` to the alerts store, which reads every rule's figure from it
/// with `read` (`None`: the rule is not about this value).
fn observe_live<T: Clone + PartialEq + Send + Sync + 'static>(
    store: AlertsStore,
    rule_ids: Memo<Vec<u64>>,
    live: Live<T>,
    read: impl Fn(&Snapshot<T>, &Condition) -> Option<alerts::Figure> + 'static,
) {
    Effect::new(move |_| {
        rule_ids.track();
        store.watching.track();
        live.data.with(|snapshot| {
            if let Some(snapshot) = snapshot {
                store.observe(snapshot, |condition| read(snapshot, condition));
            }
        });
    });
}

#[component]
fn WatchValidator(store: AlertsStore, rule_ids: Memo<Vec<u64>>, hotkey: String) -> impl IntoView {
    let live = use_validator(hotkey.clone());
    observe_live(store, rule_ids, live, move |snapshot, condition| {
        let validator = snapshot.data.as_ref()?;
        (condition.validator() == Some(hotkey.as_str()))
            .then(|| alerts::validator_reading(validator, condition))
            .flatten()
    });
}

#[component]
fn WatchAccount(store: AlertsStore, rule_ids: Memo<Vec<u64>>, coldkey: String) -> impl IntoView {
    let live = use_account(coldkey.clone());
    observe_live(store, rule_ids, live, move |snapshot, condition| {
        let exits = snapshot.data.exits.as_ref().ok()?;
        match condition {
            Condition::ExitBelow {
                coldkey: c,
                hotkey,
                netuid,
                ..
            } if *c == coldkey => alerts::exit_reading(&snapshot.data.account, exits, hotkey, *netuid),
            _ => None,
        }
    });
}

#[component]
fn WatchMetagraph(store: AlertsStore, rule_ids: Memo<Vec<u64>>, netuid: u16) -> impl IntoView {
    let live = use_metagraph(netuid, 0);
    observe_live(store, rule_ids, live, move |snapshot, condition| match condition {
        Condition::PruneWithin { netuid: n, hotkey, .. } if *n == netuid => {
            alerts::rank_reading(&snapshot.data, hotkey, snapshot.block_number)
        }
        _ => None,
    });
}

/// What a rule form sets rules on.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// Anything (the `/alerts` page).
    All,
    /// One subnet.
    Subnet(u16),
    /// One validator, by hotkey.
    Validator(String),
    /// One hotkey on a subnet.
    Hotkey(u16, String),
    /// A coldkey's positions, by coldkey.
    Account(String),
}

/// The kinds of rule, as the form offers them.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Price,
    PriceWindow,
    NextPruned,
    Take,
    Trust,
    Prune,
    Exit,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Price => "price",
            Kind::PriceWindow => "price-window",
            Kind::NextPruned => "next-pruned",
            Kind::Take => "take",
            Kind::Trust => "trust",
            Kind::Prune => "prune",
            Kind::Exit => "exit",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Price => "Price moves more than X % from now",
            Kind::PriceWindow => "Price moves more than X % within N h",
            Kind::NextPruned => "Subnet becomes the next pruned",
            Kind::Take => "Validator raises its take",
            Kind::Trust => "Validator's trust falls below Y",
            Kind::Prune => "Starred hotkey enters next K pruned",
            Kind::Exit => "A position's exit value falls below Z τ",
        }
    }

    fn from_name(name: &str) -> Kind {
        match name {
            "price-window" => Kind::PriceWindow,
            "next-pruned" => Kind::NextPruned,
            "take" => Kind::Take,
            "trust" => Kind::Trust,
            "prune" => Kind::Prune,
            "exit" => Kind::Exit,
            _ => Kind::Price,
        }
    }

    fn for_scope(scope: &Scope) -> &'static [Kind] {
        match scope {
            Scope::All => &[
                Kind::Price,
                Kind::PriceWindow,
                Kind::NextPruned,
                Kind::Take,
                Kind::Trust,
                Kind::Prune,
            ],
            Scope::Subnet(_) => &[Kind::Price, Kind::PriceWindow, Kind::NextPruned],
            Scope::Validator(_) => &[Kind::Take, Kind::Trust],
            Scope::Hotkey(..) => &[Kind::Prune],
            Scope::Account(_) => &[Kind::Exit],
        }
    }

    /// The threshold's label and default, for kinds that have one.
    fn threshold(self) -> Option<(&'static str, &'static str)> {
        match self {
            Kind::Price | Kind::PriceWindow => Some(("Move, %", "5")),
            Kind::Trust => Some(("Trust below (0–1)", "0.5")),
            Kind::Prune => Some(("Next K places", "3")),
            Kind::Exit => Some(("Exit value below, τ", "100")),
            Kind::NextPruned | Kind::Take => None,
        }
    }
}

/// An "Alert…" button that opens the rule form for one item.
#[component]
pub fn AlertButton(scope: Scope, what: String) -> impl IntoView {
    if use_alerts().is_none() {
        return ().into_any();
    }
    let open = RwSignal::new(false);
    let scope = StoredValue::new(scope);
    view! {
        <div class="alert-add">
            <button type="button" class="button alert-button" aria-expanded=move || open.get().to_string()
                aria-label=format!("Alert on {what}") on:click=move |_| open.update(|o| *o = !*o)>"Alert…"</button>
            <Show when=move || open.get()>
                <RuleForm scope=scope.get_value()/>
            </Show>
        </div>
    }
    .into_any()
}

/// The form that adds a rule, for any item (`Scope::All`) or one; the rule's base figures (the
/// price, the take) are the item's current verified ones.
#[component]
pub fn RuleForm(scope: Scope) -> impl IntoView {
    let Some(store) = use_alerts() else {
        return ().into_any();
    };
    let kinds = Kind::for_scope(&scope);
    let kind = RwSignal::new(kinds[0]);
    let subnets = use_subnets();
    let validators = matches!(scope, Scope::All | Scope::Validator(_)).then(use_validators);
    let (fixed_netuid, fixed_hotkey) = match &scope {
        Scope::Subnet(netuid) => (Some(*netuid), None),
        Scope::Validator(hotkey) => (None, Some(hotkey.clone())),
        Scope::Hotkey(netuid, hotkey) => (Some(*netuid), Some(hotkey.clone())),
        Scope::All | Scope::Account(_) => (None, None),
    };
    let account = match &scope {
        Scope::Account(coldkey) => Some(use_account(coldkey.clone())),
        _ => None,
    };
    let position = RwSignal::new(String::new());
    let position_options = move || {
        account
            .and_then(|live| {
                live.data.with(|d| {
                    d.as_ref().map(|d| {
                        d.data
                            .account
                            .positions
                            .iter()
                            .map(|p| {
                                let name = if p.name.is_empty() {
                                    format::short(&p.hotkey)
                                } else {
                                    shown(&p.name)
                                };
                                (format!("{} {}", p.netuid, p.hotkey), format!("SN{} · {name}", p.netuid))
                            })
                            .collect::<Vec<_>>()
                    })
                })
            })
            .unwrap_or_default()
    };
    let netuid = RwSignal::new(fixed_netuid.map(|n| n.to_string()).unwrap_or_default());
    let hotkey = RwSignal::new(fixed_hotkey.clone().unwrap_or_default());
    let seat = RwSignal::new(String::new());
    let starred = RwSignal::new(match (&scope, fixed_netuid, &fixed_hotkey) {
        (Scope::Hotkey(..), Some(n), Some(h)) => format!("{n} {h}"),
        _ => String::new(),
    });
    let hours = RwSignal::new("24".to_string());
    let value = RwSignal::new(kinds[0].threshold().map(|(_, d)| d.to_string()).unwrap_or_default());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let starred_hotkeys = Memo::new(move |_| {
        use_history()
            .map(|h| h.watchlist.with(|w| w.hotkeys.clone()))
            .unwrap_or_default()
    });

    let subnet_options = move || {
        subnets.data.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.data
                        .iter()
                        .map(|s| (s.netuid, format!("SN{} · {}", s.netuid, shown(&subnet_name(s)))))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let validator_options = move || {
        validators
            .and_then(|v| {
                v.data.with(|d| {
                    d.as_ref().map(|d| {
                        d.data
                            .iter()
                            .map(|v| {
                                (
                                    v.hotkey.clone(),
                                    format!("{} · {}", shown(&validator_name(v)), format::short(&v.hotkey)),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                })
            })
            .unwrap_or_default()
    };
    let chosen_validator = move || {
        let hotkey = hotkey.get();
        validators.and_then(|v| {
            v.data.with(|d| {
                d.as_ref().and_then(|d| {
                    d.data
                        .iter()
                        .find(|v| v.hotkey == hotkey)
                        .cloned()
                        .map(|v| (d.block_number, v))
                })
            })
        })
    };
    let seat_options = move || {
        chosen_validator()
            .map(|(_, v)| v.subnets.iter().map(|s| s.netuid).collect::<Vec<_>>())
            .unwrap_or_default()
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        outcome.set(Some(
            Fields {
                netuid,
                seat,
                starred,
                position,
                value,
                hours,
            }
            .build(kind.get_untracked(), subnets, &chosen_validator, account)
            .and_then(|(condition, block)| {
                let text = condition.text();
                store.add(condition, block).map(|()| format!("Added: {text}"))
            }),
        ));
    };
    let kind_changed = move |event| {
        let chosen = Kind::from_name(&event_target_value(&event));
        kind.set(chosen);
        value.set(chosen.threshold().map(|(_, d)| d.to_string()).unwrap_or_default());
        outcome.set(None);
    };
    let needs_subnet =
        move || fixed_netuid.is_none() && matches!(kind.get(), Kind::Price | Kind::PriceWindow | Kind::NextPruned);
    let needs_validator = move || fixed_hotkey.is_none() && matches!(kind.get(), Kind::Take | Kind::Trust);
    let needs_starred = move || !matches!(scope, Scope::Hotkey(..)) && kind.get() == Kind::Prune;
    let ready = move || store.ready();

    view! {
        <form class="rule-form" on:submit=submit aria-label="Add an alert">
            <div class="rule-fields">
                <label class="rule-field">
                    <span class="rule-label">"Alert when"</span>
                    <select on:change=kind_changed prop:value=move || kind.get().name()>
                        {kinds.iter().map(|k| view! { <option value=k.name()>{k.label()}</option> }).collect_view()}
                    </select>
                </label>
                <Show when=needs_subnet>
                    <label class="rule-field">
                        <span class="rule-label">"Subnet"</span>
                        <select required on:change=move |e| netuid.set(event_target_value(&e)) prop:value=move || netuid.get()>
                            <option value="">"Choose a subnet"</option>
                            {move || subnet_options().into_iter().map(|(n, label)| view! { <option value=n.to_string()>{label}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                <Show when=needs_validator>
                    <label class="rule-field">
                        <span class="rule-label">"Validator"</span>
                        <select required on:change=move |e| { hotkey.set(event_target_value(&e)); seat.set(String::new()); } prop:value=move || hotkey.get()>
                            <option value="">"Choose a validator"</option>
                            {move || validator_options().into_iter().map(|(h, label)| view! { <option value=h>{label}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                <Show when=move || kind.get() == Kind::Trust>
                    <label class="rule-field">
                        <span class="rule-label">"On subnet"</span>
                        <select required on:change=move |e| seat.set(event_target_value(&e)) prop:value=move || seat.get()>
                            <option value="">"Choose a seat"</option>
                            {move || seat_options().into_iter().map(|n| view! { <option value=n.to_string()>{format!("SN{n}")}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                <Show when=move || kind.get() == Kind::Exit>
                    <label class="rule-field">
                        <span class="rule-label">"Position"</span>
                        <select required on:change=move |e| position.set(event_target_value(&e)) prop:value=move || position.get()>
                            <option value="">"Choose a position"</option>
                            {move || position_options().into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                <Show when=needs_starred>
                    <label class="rule-field">
                        <span class="rule-label">"Starred hotkey"</span>
                        <select required on:change=move |e| starred.set(event_target_value(&e)) prop:value=move || starred.get()>
                            <option value="">{move || if starred_hotkeys.with(Vec::is_empty) { "None starred: star one in a subnet's neuron table" } else { "Choose a hotkey" }}</option>
                            {move || starred_hotkeys.get().into_iter().map(|(n, h)| view! { <option value=format!("{n} {h}")>{format!("SN{n} · {}", format::short(&h))}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                {move || kind.get().threshold().map(|(label, _)| view! {
                    <label class="rule-field">
                        <span class="rule-label">{label}</span>
                        <input type="text" inputmode="decimal" required size="6" prop:value=move || value.get()
                            on:input=move |e| value.set(event_target_value(&e))/>
                    </label>
                })}
                <Show when=move || kind.get() == Kind::PriceWindow>
                    <label class="rule-field">
                        <span class="rule-label">"Within, hours"</span>
                        <input type="text" inputmode="decimal" required size="6" prop:value=move || hours.get()
                            on:input=move |e| hours.set(event_target_value(&e))/>
                    </label>
                </Show>
                <button type="submit" class="button primary rule-submit" disabled=move || !ready()>"Add alert"</button>
            </div>
            {move || match outcome.get() {
                Some(Ok(text)) => view! { <p class="form-result" role="status">{text}</p> }.into_any(),
                Some(Err(reason)) => view! { <p class="error-text" role="alert">{format!("Not added: {reason}")}</p> }.into_any(),
                None => ().into_any(),
            }}
            <p class="hint">"Alerts are checked in this browser, on verified data, only while a Taoscope tab is open. The first one you add asks to show notifications."</p>
        </form>
    }
    .into_any()
}

/// The form's text fields, as typed.
struct Fields {
    netuid: RwSignal<String>,
    seat: RwSignal<String>,
    starred: RwSignal<String>,
    position: RwSignal<String>,
    value: RwSignal<String>,
    hours: RwSignal<String>,
}

impl Fields {
    /// The rule the form describes, with the block its base figures come from.
    fn build(
        self,
        kind: Kind,
        subnets: crate::data::Live<Vec<light_client::model::Subnet>>,
        chosen_validator: &dyn Fn() -> Option<(u64, light_client::model::Validator)>,
        account: Option<crate::data::Live<AccountExits>>,
    ) -> Result<(Condition, u64), String> {
        let Fields {
            netuid,
            seat,
            starred,
            position,
            value,
            hours,
        } = self;
        let number = || -> Result<f64, String> {
            let text = value.get_untracked();
            text.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("“{}” is not a number", text.trim()))
        };
        let subnets_block = || {
            subnets
                .data
                .with_untracked(|d| d.as_ref().map(|d| d.block_number))
                .ok_or("the subnets are not loaded yet")
        };
        let chosen_netuid = || {
            netuid
                .get_untracked()
                .parse::<u16>()
                .map_err(|_| "choose a subnet".to_string())
        };
        match kind {
            Kind::Price => {
                let percent = number()?;
                if percent <= 0.0 {
                    return Err("the move must be more than 0 %".into());
                }
                let netuid = chosen_netuid()?;
                let (block, base) = subnets
                    .data
                    .with_untracked(|d| {
                        let d = d.as_ref()?;
                        Some((d.block_number, alerts::price_reading(&d.data, netuid)))
                    })
                    .ok_or("the subnets are not loaded yet")?;
                let Some(alerts::Figure::Price(base)) = base else {
                    return Err(format!("subnet {netuid} has no price at this block"));
                };
                Ok((Condition::PriceMove { netuid, percent, base }, block))
            }
            Kind::PriceWindow => {
                let percent = number()?;
                if percent <= 0.0 {
                    return Err("the move must be more than 0 %".into());
                }
                let text = hours.get_untracked();
                let hours = text
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|h| h.is_finite() && *h > 0.0)
                    .ok_or_else(|| format!("“{}” is not a number of hours", text.trim()))?;
                let netuid = chosen_netuid()?;
                Ok((Condition::PriceMoveWithin { netuid, percent, hours }, subnets_block()?))
            }
            Kind::NextPruned => Ok((
                Condition::NextSubnetPruned {
                    netuid: chosen_netuid()?,
                },
                subnets_block()?,
            )),
            Kind::Take => {
                let (block, validator) = chosen_validator().ok_or("choose a validator")?;
                Ok((
                    Condition::TakeRaised {
                        hotkey: validator.hotkey,
                        base: validator.take,
                    },
                    block,
                ))
            }
            Kind::Trust => {
                let below = number()?;
                if !(0.0..=1.0).contains(&below) {
                    return Err("trust is between 0 and 1".into());
                }
                let (block, validator) = chosen_validator().ok_or("choose a validator")?;
                let netuid = seat.get_untracked().parse::<u16>().map_err(|_| "choose a subnet")?;
                Ok((
                    Condition::TrustBelow {
                        hotkey: validator.hotkey,
                        netuid,
                        below,
                    },
                    block,
                ))
            }
            Kind::Exit => {
                let tao = number()?;
                if tao <= 0.0 {
                    return Err("the exit value must be more than 0 τ".into());
                }
                let (coldkey, block) = account
                    .and_then(|live| {
                        live.data
                            .with_untracked(|d| d.as_ref().map(|d| (d.data.account.coldkey.clone(), d.block_number)))
                    })
                    .ok_or("the positions are not loaded yet")?;
                let chosen = position.get_untracked();
                let (netuid, hotkey) = chosen
                    .split_once(' ')
                    .and_then(|(n, h)| Some((n.parse::<u16>().ok()?, h.to_string())))
                    .ok_or("choose a position")?;
                Ok((
                    Condition::ExitBelow {
                        coldkey,
                        hotkey,
                        netuid,
                        below_rao: (tao * 1e9).round() as u64,
                    },
                    block,
                ))
            }
            Kind::Prune => {
                let within = number()?;
                if within < 1.0 || within.fract() != 0.0 || within > f64::from(u16::MAX) {
                    return Err("K is a whole number of places, at least 1".into());
                }
                let chosen = starred.get_untracked();
                let (netuid, hotkey) = chosen
                    .split_once(' ')
                    .and_then(|(n, h)| Some((n.parse::<u16>().ok()?, h.to_string())))
                    .ok_or("choose a starred hotkey")?;
                Ok((
                    Condition::PruneWithin {
                        netuid,
                        hotkey,
                        within: within as u16,
                    },
                    subnets_block()?,
                ))
            }
        }
    }
}
