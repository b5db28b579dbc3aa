//! Every string the screens show, in one place for review.
//!
//! Each screen has a [`Wording`]: a title and a body for the 320×240 colour
//! panel, and a terse title and body for the 128×64 OLED (at most 12
//! full-width characters a line, at most 3 lines). `\n` is a preferred line
//! break; longer lines are wrapped. The OLED font (10 px) lacks 。「」（）：
//! and a few kanji such as 桁, and full-width digits: OLED strings use ASCII
//! punctuation and digits instead.
//! The test `every_screen_glyph_is_in_the_fonts` fails on any glyph a font
//! lacks.

use crate::domain::LimitClass;

use super::screen::FallbackKind;
use crate::domain::KeyInField;

/// The words of one screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Wording {
    /// Title bar of the 320×240 panel.
    pub title: &'static str,
    /// Main message of the 320×240 panel.
    pub body: &'static str,
    /// Secondary message of the 320×240 panel, in a quieter colour ("" for none).
    pub note: &'static str,
    /// Title bar of the 128×64 OLED.
    pub title_short: &'static str,
    /// Message of the 128×64 OLED.
    pub body_short: &'static str,
}

/// Waiting, online facility.
pub const IDLE_ONLINE: Wording = Wording {
    title: "受付",
    body: "マイナ保険証を\nかざしてください",
    note: "資格確認書・健康保険証をお持ちの方は\n受付にご提示ください",
    title_short: "受付",
    body_short: "マイナ保険証を\nかざしてください",
};

/// Waiting, facility without online confirmation.
pub const IDLE_OFFLINE: Wording = Wording {
    title: "受付",
    body: "受付で資格確認書等を\nご提示ください",
    note: "マイナ保険証の方は\n資格情報のお知らせとカードを\nご提示ください",
    title_short: "受付",
    body_short: "受付で\n資格確認書等を\nご提示ください",
};

/// Reading the card.
pub const READING_CARD: Wording = Wording {
    title: "読み取り中",
    body: "読み取り中です\nカードを動かさないでください",
    note: "",
    title_short: "読み取り中",
    body_short: "カードを\n動かさないで\nください",
};

/// Choosing face or PIN.
pub const CHOOSE_AUTH: Wording = Wording {
    title: "本人確認",
    body: "本人確認の方法を\n選んでください",
    note: "目視確認は職員が行います",
    title_short: "本人確認",
    body_short: "本人確認の方法を\n選んでください\n(目視確認は職員)",
};

/// Choosing, for a card issued without a PIN.
pub const CHOOSE_AUTH_FACE_ONLY: Wording = Wording {
    title: "本人確認",
    body: "顔認証で本人確認を\n行います",
    note: "このカードは暗証番号がありません\n目視確認は職員が行います",
    title_short: "本人確認",
    body_short: "顔認証で\n本人確認します\n(目視確認は職員)",
};

/// Face authentication running.
pub const FACE_SCANNING: Wording = Wording {
    title: "顔認証",
    body: "カメラを見てください",
    note: "そのままお待ちください",
    title_short: "顔認証中",
    body_short: "カメラを\n見てください",
};

/// Face authentication failed (the count of tries left follows).
pub const FACE_FAILED: Wording = Wording {
    title: "顔認証",
    body: "顔認証できませんでした\nもう一度お試しください",
    note: "暗証番号でも本人確認できます",
    title_short: "顔認証",
    body_short: "認証できません\nでした",
};

/// Small panel, after a face that did not match: the key that switches to
/// the PIN ("2", the right key, as the numbered choices of other screens).
pub const FACE_FAILED_PIN_KEY_SHORT: &str = "2 暗証番号";

/// Face authentication locked.
pub const FACE_LOCKED: Wording = Wording {
    title: "顔認証ロック",
    body: "顔認証がロックされました",
    note: "暗証番号または目視確認で\n本人確認してください",
    title_short: "顔認証ロック",
    body_short: "暗証番号または\n目視確認で\n本人確認します",
};

/// PIN entry.
pub const PIN_ENTRY: Wording = Wording {
    title: "暗証番号",
    body: "暗証番号（数字4桁）を\n入力してください",
    note: "",
    title_short: "暗証番号",
    body_short: "数字4つを入力",
};

/// Confirmation before the last PIN try.
pub const PIN_LAST_TRY: Wording = Wording {
    title: "暗証番号",
    body: "残り1回です。\n間違えるとロックされます。\n入力しますか",
    note: "",
    title_short: "暗証番号",
    body_short: "残り1回です\n間違えるとロック\n入力しますか",
};

/// Wrong PIN (the count of tries left follows).
pub const PIN_WRONG: Wording = Wording {
    title: "暗証番号",
    body: "暗証番号が違います",
    note: "",
    title_short: "暗証番号",
    body_short: "暗証番号が\n違います",
};

/// PIN blocked.
pub const PIN_BLOCKED: Wording = Wording {
    title: "暗証番号ロック",
    body: "暗証番号がロックされています。\n市区町村の窓口で\n再設定してください",
    note: "顔認証または目視確認をご利用ください",
    title_short: "暗証番号ロック",
    body_short: "市区町村の窓口で\n再設定して\nください",
};

/// Staff visual check.
pub const VISUAL_CHECK: Wording = Wording {
    title: "目視確認",
    body: "職員がご本人であることを\n確認します",
    note: "そのままお待ちください",
    title_short: "目視確認",
    body_short: "職員が本人確認\nします\nお待ちください",
};

/// The visual-check password typed at the reader was wrong.
pub const VISUAL_CHECK_PASSWORD_WRONG: Wording = Wording {
    title: "パスワードが違います",
    body: "目視確認モードに切り替える\nパスワードが違います\nもう一度入力してください",
    note: "",
    title_short: "目視確認",
    body_short: "パスワードが\n違います",
};

/// Too many wrong visual-check passwords: the switch is locked.
pub const VISUAL_CHECK_LOCKED: Wording = Wording {
    title: "切り替えできません",
    body: "パスワードを3回間違えたため\n目視確認モードへの切り替えを\n5分間ロックしました",
    note: "顔認証か暗証番号で\n本人確認してください",
    title_short: "目視確認",
    body_short: "切替ロック中",
};

/// After the count on the wrong-password screen: "あと2回間違えると5分間ロック".
pub const VISUAL_CHECK_LOCK_TAIL: &str = "回間違えると5分間ロック";

/// After the count on the lock screen: "あと5分で再入力できます".
pub const VISUAL_CHECK_RETRY_TAIL: &str = "分で再入力できます";

/// [`VISUAL_CHECK_LOCK_TAIL`] on the OLED: "あと2回でロック".
pub const VISUAL_CHECK_LOCK_TAIL_SHORT: &str = "回でロック";

/// [`VISUAL_CHECK_RETRY_TAIL`] on the OLED: "あと5分で再入力".
pub const VISUAL_CHECK_RETRY_TAIL_SHORT: &str = "分で再入力";

/// The combined consent to share information.
pub const CONSENT: Wording = Wording {
    title: "情報提供の同意",
    body: "過去の診療・お薬・健診などの情報を\n医師・薬剤師に提供することに\n同意しますか",
    note: "同意しなくても受診できます",
    title_short: "情報提供の同意",
    body_short: "診療・薬・健診の\n情報の提供に\n同意しますか",
};

/// Asking the online service.
pub const QUERYING: Wording = Wording {
    title: "資格確認",
    body: "資格情報を確認しています",
    note: "しばらくお待ちください",
    title_short: "資格確認中",
    body_short: "資格情報を\n確認しています",
};

/// Eligibility confirmed (the result rows follow).
pub const RESULT: Wording = Wording {
    title: "確認完了",
    body: "資格確認が完了しました",
    note: "カードをお取りください",
    title_short: "資格確認完了",
    body_short: "",
};

/// Card not registered for insurance use.
pub const NOT_REGISTERED: Wording = Wording {
    title: "保険証利用登録",
    body: "このカードは保険証として\n登録されていません。\n保険証利用登録をしますか",
    note: "",
    title_short: "保険証利用登録",
    body_short: "未登録のカードです\n保険証利用登録を\nしますか",
};

/// Registration done.
pub const REGISTERED: Wording = Wording {
    title: "登録完了",
    body: "保険証利用登録が\n完了しました",
    note: "続けて資格確認を行います",
    title_short: "登録完了",
    body_short: "保険証利用登録が\n完了しました",
};

/// [`Screen::PublicAssistance`](super::Screen::PublicAssistance).
pub const PUBLIC_ASSISTANCE: Wording = Wording {
    title: "資格確認",
    body: "医療扶助の資格を\n確認しました。\n受付へお進みください",
    note: "医療券の内容は受付で確認します",
    title_short: "資格確認",
    body_short: "医療扶助の資格を\n確認しました\n受付へどうぞ",
};

/// [`Screen::RenewalAlert`](super::Screen::RenewalAlert) before expiry.
pub const RENEWAL_ALERT: Wording = Wording {
    title: "電子証明書の更新",
    body: "電子証明書の有効期限が\n近づいています。\nこのまま受付を続けます",
    note: "更新は市区町村の窓口で行えます",
    title_short: "証明書の更新",
    body_short: "期限が近づいて\nいます\n市区町村で更新を",
};

/// [`Screen::RenewalAlert`](super::Screen::RenewalAlert) after expiry.
pub const RENEWAL_ALERT_GRACE: Wording = Wording {
    title: "電子証明書の更新",
    body: "電子証明書の有効期限が\n切れています。\n資格の確認のみ行います",
    note: "お早めに市区町村で更新を",
    title_short: "証明書の更新",
    body_short: "期限切れです\n資格の確認のみ\n行います",
};

/// [`Screen::PhoneHold`](super::Screen::PhoneHold) for Android.
pub const PHONE_HOLD_ANDROID: Wording = Wording {
    title: "スマートフォン",
    body: "スマートフォンを\n読み取り機に\nかざしてください",
    note: "かざしたまま、お待ちください",
    title_short: "スマートフォン",
    body_short: "スマートフォンを\n読み取り機に\nかざしてください",
};

/// [`Screen::PhoneHold`](super::Screen::PhoneHold) for iPhone.
pub const PHONE_HOLD_IPHONE: Wording = Wording {
    title: "iPhone",
    body: "iPhoneを\n読み取り機に\nかざしてください",
    note: "かざしたまま、お待ちください",
    title_short: "iPhone",
    body_short: "iPhoneを\n読み取り機に\nかざしてください",
};

/// [`Screen::PhoneAuth`](super::Screen::PhoneAuth).
pub const PHONE_AUTH: Wording = Wording {
    title: "iPhone",
    body: "iPhoneの画面で\nご本人の確認\n（顔・指紋）をしてください",
    note: "確認のあと、読み取り機にかざします",
    title_short: "iPhone",
    body_short: "iPhoneで\n本人確認を\nしてください",
};

/// The card's electronic certificate expired.
pub const CERTIFICATE_EXPIRED: Wording = Wording {
    title: "電子証明書",
    body: "電子証明書の有効期限が\n切れています。\n受付にお声がけください",
    note: "更新は市区町村の窓口で行えます",
    title_short: "証明書期限切れ",
    body_short: "電子証明書の\n期限切れです\n受付へどうぞ",
};

/// The card left the reader.
pub const CARD_REMOVED: Wording = Wording {
    title: "カード",
    body: "カードが取り外されました。\nもう一度かざしてください",
    note: "",
    title_short: "カード",
    body_short: "カードが外れました\nもう一度\nかざしてください",
};

/// The online service did not answer.
pub const SERVICE_UNAVAILABLE: Wording = Wording {
    title: "オンライン資格確認",
    body: "資格確認サービスが\n応答しません。\n受付にお声がけください",
    note: "",
    title_short: "応答なし",
    body_short: "資格確認が\nできません\n受付へどうぞ",
};

/// No network.
pub const NETWORK_DOWN: Wording = Wording {
    title: "通信エラー",
    body: "ネットワークに\n接続できません。\n受付にお声がけください",
    note: "",
    title_short: "通信エラー",
    body_short: "ネットワークに\n接続できません\n受付へどうぞ",
};

/// Title of every fallback screen.
pub const FALLBACK_TITLE: &str = "受付で確認します";
/// Title of every fallback screen on the OLED.
pub const FALLBACK_TITLE_SHORT: &str = "受付で確認";

/// The fallback message for a document kind.
pub const fn fallback(kind: FallbackKind) -> Wording {
    match kind {
        FallbackKind::NoticeWithCard => Wording {
            title: FALLBACK_TITLE,
            body: "資格情報のお知らせと\nマイナンバーカードを\n受付にご提示ください",
            note: "",
            title_short: FALLBACK_TITLE_SHORT,
            body_short: "お知らせと\nカードを\nご提示ください",
        },
        FallbackKind::Certificate => Wording {
            title: FALLBACK_TITLE,
            body: "資格確認書を\n受付にご提示ください",
            note: "",
            title_short: FALLBACK_TITLE_SHORT,
            body_short: "資格確認書を\nご提示ください",
        },
        FallbackKind::PortalScreen => Wording {
            title: FALLBACK_TITLE,
            body: "マイナポータルの資格情報画面と\nマイナンバーカードを\n受付にご提示ください",
            note: "",
            title_short: FALLBACK_TITLE_SHORT,
            body_short: "マイナポータル\n画面とカードを\nご提示ください",
        },
        FallbackKind::SelfDeclaration => Wording {
            title: FALLBACK_TITLE,
            body: "被保険者資格申立書に\nご記入ください",
            note: "窓口負担は通常の割合です",
            title_short: FALLBACK_TITLE_SHORT,
            body_short: "資格申立書に\nご記入ください",
        },
        FallbackKind::OldCard => Wording {
            title: FALLBACK_TITLE,
            body: "有効期限内の健康保険証を\n受付にご提示ください",
            note: "",
            title_short: FALLBACK_TITLE_SHORT,
            body_short: "有効期限内の\n健康保険証を\nご提示ください",
        },
        FallbackKind::ElderlyRecipient => Wording {
            title: FALLBACK_TITLE,
            body: "高齢受給者証を\n受付にご提示ください",
            note: "負担割合を確認します",
            title_short: FALLBACK_TITLE_SHORT,
            body_short: "高齢受給者証を\nご提示ください",
        },
        FallbackKind::AtCounter => Wording {
            title: FALLBACK_TITLE,
            body: "受付に\nお声がけください",
            note: "職員が確認します",
            title_short: FALLBACK_TITLE_SHORT,
            body_short: "受付に\nお声がけ\nください",
        },
        FallbackKind::NoticeOrPortal => Wording {
            title: FALLBACK_TITLE,
            body: "資格情報のお知らせか\nマイナポータルの資格情報画面を\nカードと一緒にご提示ください",
            note: "",
            title_short: FALLBACK_TITLE_SHORT,
            body_short: "お知らせか\nポータル画面を\nご提示ください",
        },
        FallbackKind::CertificateOrNotice => Wording {
            title: FALLBACK_TITLE,
            body: "資格確認書、または\nお知らせかマイナポータルの画面を\nカードと一緒にご提示ください",
            note: "",
            title_short: FALLBACK_TITLE_SHORT,
            body_short: "資格確認書か\nお知らせ等を\nご提示ください",
        },
        FallbackKind::PaperOrSelfDeclaration => Wording {
            title: FALLBACK_TITLE,
            body: "資格確認書等がなければ\n被保険者資格申立書に\nご記入ください",
            note: "窓口負担は通常の割合です",
            title_short: FALLBACK_TITLE_SHORT,
            body_short: "確認書等か\n資格申立書を\nご提示ください",
        },
    }
}

/// Key-in screen title (staff only).
pub const KEY_IN_TITLE: &str = "書類の入力（職員）";
/// Key-in screen title on the OLED.
pub const KEY_IN_TITLE_SHORT: &str = "書類の入力";
/// After the field label: "保険者番号を入力してください".
pub const KEY_IN_PROMPT: &str = "を入力してください";
/// After the field label on the OLED.
pub const KEY_IN_PROMPT_SHORT: &str = "を入力";
/// Shown when the typed value was rejected.
pub const KEY_IN_ERROR: &str = "入力内容を確認してください";
/// Shown when the typed value was rejected, on the OLED.
pub const KEY_IN_ERROR_SHORT: &str = "入力を確認";

/// Choice: face authentication.
pub const CHOICE_FACE: &str = "顔認証";
/// Choice: PIN.
pub const CHOICE_PIN: &str = "暗証番号";
/// Choice: yes.
pub const CHOICE_YES: &str = "はい";
/// Choice: no.
pub const CHOICE_NO: &str = "いいえ";
/// Choice: consent.
pub const CHOICE_AGREE: &str = "同意する";
/// Choice: no consent.
pub const CHOICE_DISAGREE: &str = "同意しない";
/// Choice: register for insurance use.
pub const CHOICE_REGISTER: &str = "登録する";
/// Choice: do not register.
pub const CHOICE_NOT_REGISTER: &str = "登録しない";

/// Before a count of tries: "残り2回".
pub const REMAINING: &str = "残り";
/// After a count of tries.
pub const TIMES: &str = "回";
/// Face tries left, before the count: "あと3回失敗すると…".
pub const FACE_REMAINING: &str = "あと";
/// Face tries left, after the count (320×240).
pub const FACE_REMAINING_TAIL: &str = "回失敗するとロックされます";
/// Face tries left, after the count (OLED).
pub const FACE_REMAINING_TAIL_SHORT: &str = "回でロック";

/// Result row label: copay ratio.
pub const LABEL_COPAY: &str = "負担割合";
/// Result row label: limit class.
pub const LABEL_LIMIT: &str = "限度額区分";
/// Result row label: specific disease.
pub const LABEL_DISEASE: &str = "特定疾病";
/// Result row label: elderly recipient.
pub const LABEL_ELDERLY: &str = "高齢受給者";
/// Result row value for [`LABEL_ELDERLY`].
pub const ELDERLY_YES: &str = "該当";

/// A limit class as shown. [`LimitClass::ja`], except that the Roman
/// numerals (Ⅰ, Ⅱ, Ⅲ, which no screen font has) are spelled in ASCII.
pub const fn limit_label(class: LimitClass) -> &'static str {
    match class {
        LimitClass::GenekiNamiIII => "現役並みIII",
        LimitClass::GenekiNamiII => "現役並みII",
        LimitClass::GenekiNamiI => "現役並みI",
        LimitClass::TeishotokuII => "低所得II",
        LimitClass::TeishotokuI => "低所得I",
        other => other.ja(),
    }
}

/// A key-in field's label on screen: as the key-in form names it, except
/// two long names shortened to fit the OLED.
pub const fn key_in_label(field: KeyInField) -> &'static str {
    match field {
        KeyInField::CopayRatio => "負担割合",
        KeyInField::CopayFrom => "発効期日",
        other => other.ja(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_labels_read_back_as_the_same_class() {
        for c in LimitClass::ALL {
            assert_eq!(LimitClass::parse(limit_label(c)), Some(c));
        }
    }

    #[test]
    fn oled_bodies_are_terse() {
        let all = [
            IDLE_ONLINE,
            IDLE_OFFLINE,
            READING_CARD,
            CHOOSE_AUTH,
            CHOOSE_AUTH_FACE_ONLY,
            FACE_SCANNING,
            FACE_FAILED,
            FACE_LOCKED,
            PIN_ENTRY,
            PIN_LAST_TRY,
            PIN_WRONG,
            PIN_BLOCKED,
            VISUAL_CHECK,
            VISUAL_CHECK_PASSWORD_WRONG,
            VISUAL_CHECK_LOCKED,
            CONSENT,
            QUERYING,
            RESULT,
            NOT_REGISTERED,
            REGISTERED,
            CERTIFICATE_EXPIRED,
            RENEWAL_ALERT,
            RENEWAL_ALERT_GRACE,
            PUBLIC_ASSISTANCE,
            PHONE_HOLD_ANDROID,
            PHONE_HOLD_IPHONE,
            PHONE_AUTH,
            CARD_REMOVED,
            SERVICE_UNAVAILABLE,
            NETWORK_DOWN,
        ];
        let fallbacks = FallbackKind::ALL.map(fallback);
        for w in all.iter().chain(fallbacks.iter()) {
            assert!(w.body_short.lines().count() <= 3, "{:?}", w.body_short);
            assert!(w.title_short.chars().count() <= 12, "{:?}", w.title_short);
        }
    }
}
