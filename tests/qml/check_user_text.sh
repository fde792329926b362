#!/usr/bin/env bash
# Every text the app's QML shows is plain text unless it says otherwise: others' names, messages,
# group names and descriptions must never be read as markup (a group named `<img src="http://…">`
# would have the app fetch that image). Text, Label, TextEdit and TextArea read markup by default
# (Text.AutoText), and so do the labels inside controls (Button, ItemDelegate, MenuItem, TabButton
# …), ToolTip.text, a Dialog's title and a TextField's placeholderText, which have no textFormat.
# This checks the QML under qml/ (or the folders given):
#
#   1. a Text, Label, TextEdit or TextArea whose text is not one literal string ("…" or
#      qsTr("…") without arguments) states its textFormat (Text.PlainText; Text.StyledText only
#      for a formatter that escapes what it is given, such as SearchHighlighter);
#   2. a control's text, ToolTip.text, title and placeholderText hold no value from elsewhere: a
#      literal, qsTr("…") or a choice between them, never .arg(…) or an expression alone.
#   3. no text is ever RichText, AutoText or MarkdownText, and StyledText appears only where a
#      formatter that escapes feeds it (styled_files below: search excerpts, message bodies).
#
# A line that is right anyway (the control draws its text with a plain-text label of its own, or
# the value is the app's own) says why in a comment containing "plain text:", on that line or on a
# comment line just above it.
#
#   tests/qml/check_user_text.sh [folder...]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ $# -eq 0 ]; then
    set -- "$(cd "$here/../.." && pwd)/qml"
fi

mapfile -t files < <(find "$@" -name '*.qml' | sort)
if [ ${#files[@]} -eq 0 ]; then
    echo "check_user_text: no QML files in $*" >&2
    exit 1
fi

# The only files that may show StyledText: SearchHighlighter's excerpts, RichText::toStyledText's
# message bodies (both escape the text and add only their own tags).
styled_files="SearchResultDelegate.qml MessageText.qml"
format_failures=0
for file in "${files[@]}"; do
    # Code only: comments may name the formats.
    code="$(sed 's|//.*$||' "$file")"
    if grep -nE '(Text|TextEdit)\.(RichText|AutoText|MarkdownText)' <<<"$code" >/dev/null; then
        grep -nE '(Text|TextEdit)\.(RichText|AutoText|MarkdownText)' <<<"$code" |
            sed "s|^|$file:|; s|$|\n    RichText, AutoText and MarkdownText read anything as markup: never|"
        format_failures=$((format_failures + 1))
    fi
    if grep -qE 'Text\.StyledText' <<<"$code" && [[ " $styled_files " != *" $(basename "$file") "* ]]; then
        grep -nE 'Text\.StyledText' <<<"$code" |
            sed "s|^|$file:|; s|$|\n    StyledText only for a formatter's output (styled_files in check_user_text.sh)|"
        format_failures=$((format_failures + 1))
    fi
done
if [ "$format_failures" -gt 0 ]; then
    echo "check_user_text: $format_failures file(s) with a markup text format they may not use" >&2
    exit 1
fi

awk '
function reset_file() { depth = 0; top = 0; comment_exempt = 0 }

# The line without its // comment and with string contents blanked (quotes kept), so that braces,
# colons and slashes inside strings count for nothing.
function code_of(line,    out, i, c, quote) {
    out = ""; quote = ""
    for (i = 1; i <= length(line); ++i) {
        c = substr(line, i, 1)
        if (quote != "") {
            if (c == "\\") { i++; out = out "_"; continue }
            if (c == quote) { quote = ""; out = out c } else out = out "_"
            continue
        }
        if (c == "\"" || c == "'\''") { quote = c; out = out c; continue }
        if (c == "/" && substr(line, i + 1, 1) == "/") break
        out = out c
    }
    return out
}

function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }

# One literal: "…" or qsTr("…") with no placeholders and no arguments.
function is_literal(value, raw) {
    value = trim(value)
    if (value ~ /^"_*"$/) return 1
    if (value ~ /^qsTr\("_*"\)$/ && raw !~ /%[0-9n]/) return 1
    return 0
}

# A control label from elsewhere: .arg(…), or an expression with neither a string nor qsTr.
function is_foreign(value) {
    value = trim(value)
    if (value ~ /\.arg\(/) return 1
    if (value !~ /"/) return 1
    return 0
}

function report(line_no, what, raw) {
    printf "%s:%d: %s\n    %s\n", FILENAME, line_no, what, trim(raw)
    failures++
}

function check_control(line_no, name, value, raw, exempt) {
    if (exempt) return
    if (is_foreign(value))
        report(line_no, name " takes a value from elsewhere, and its label reads markup: show it in a Label with textFormat: Text.PlainText", raw)
}

# Checks the text-like element on top of the stack, which just closed.
function close_element() {
    if (kind[top] == "text" && text_line[top] > 0 && !has_format[top] && !text_exempt[top] &&
        !is_literal(text_value[top], text_raw[top]))
        report(text_line[top], type[top] " shows a value without saying its textFormat (Text.PlainText for user text)", text_raw[top])
    if (kind[top] == "control" && text_line[top] > 0)
        check_control(text_line[top], type[top] ".text", text_value[top], text_raw[top], text_exempt[top])
    top--
}

# The properties on one line of the element on top of the stack (or of the line that opens it).
function properties(code, raw, line_no, exempt,    n, parts, i, part, value) {
    n = split(code, parts, ";")
    for (i = 1; i <= n; ++i) {
        part = parts[i]
        sub(/^.*\{[ \t]*/, "", part)
        if (part ~ /^[ \t]*textFormat[ \t]*:/) has_format[top] = 1
        if (part ~ /^[ \t]*text[ \t]*:/) {
            value = part; sub(/^[ \t]*text[ \t]*:/, "", value); sub(/\}[ \t]*$/, "", value)
            text_line[top] = line_no; text_value[top] = value; text_raw[top] = raw
            text_exempt[top] = exempt
        }
    }
}

FNR == 1 { reset_file() }

{
    raw = $0
    # The reason on the line itself, or on a comment line just above it.
    exempt = (raw ~ /\/\/.*plain text:/) || comment_exempt
    comment_exempt = (raw ~ /^[ \t]*\/\/.*plain text:/)
    code = code_of(raw)

    # A binding continued on the next lines (a ternary or a sum whose next line starts with the
    # operator): they belong to the text being checked.
    if (top > 0 && text_line[top] > 0 && text_open[top] && code ~ /^[ \t]*(\?|:|\+|\.|&&|\|\|)/) {
        text_value[top] = text_value[top] " " code
        text_raw[top] = text_raw[top] " " trim(raw)
        if (exempt) text_exempt[top] = 1
        next_depth = depth + gsub(/\{/, "{", code) - gsub(/\}/, "}", code)
        depth = next_depth
        next
    }
    if (top > 0) text_open[top] = 0

    # Attached and popup texts, wherever they are.
    if (match(code, /(^|[^A-Za-z0-9_])(ToolTip\.text|placeholderText|title)[ \t]*:/)) {
        name = substr(code, RSTART, RLENGTH); sub(/[ \t]*:$/, "", name); sub(/^[^A-Za-z]/, "", name)
        value = substr(code, RSTART + RLENGTH)
        sub(/;.*$/, "", value)
        check_control(FNR, name, value, raw, exempt)
    }

    opens = gsub(/\{/, "{", code)
    closes = gsub(/\}/, "}", code)

    if (match(code, /(^|[^A-Za-z0-9_.])(Text|Label|TextEdit|TextArea|Button|ToolButton|RoundButton|DelayButton|ItemDelegate|MenuItem|TabButton|RadioButton|CheckBox|Switch|SwitchDelegate|CheckDelegate|RadioDelegate)[ \t]*\{/)) {
        element = substr(code, RSTART, RLENGTH)
        sub(/^[^A-Za-z]*/, "", element); sub(/[ \t]*\{$/, "", element)
        top++
        type[top] = element
        kind[top] = (element ~ /^(Text|Label|TextEdit|TextArea)$/) ? "text" : "control"
        start[top] = depth
        has_format[top] = 0; text_line[top] = 0; text_value[top] = ""; text_raw[top] = ""
        text_exempt[top] = 0; text_open[top] = 0
        properties(code, raw, FNR, exempt)
        text_open[top] = (text_line[top] == FNR)
        depth += opens - closes
        while (top > 0 && depth <= start[top]) close_element()
        next
    }

    if (top > 0 && depth == start[top] + 1) {
        properties(code, raw, FNR, exempt)
        text_open[top] = (text_line[top] == FNR)
    }
    depth += opens - closes
    while (top > 0 && depth <= start[top]) close_element()
}

END {
    if (failures > 0) {
        printf "\ncheck_user_text: %d place(s) where text from elsewhere could be read as markup\n", failures
        exit 1
    }
}
' "${files[@]}"
echo "check_user_text: ${#files[@]} QML files, every shown value plain text"
