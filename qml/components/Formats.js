// Dates and times as the lists show them. Pure functions, no state. (Not a .pragma library: the
// Locale enum is only visible in the importing QML context.)

function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth()
            && a.getDate() === b.getDate()
}

//! The time of a message: "14:05".
function time(date) {
    if (!date || isNaN(date.getTime()))
        return ""
    // Some locales' short format still has seconds (the C locale's "HH:mm:ss").
    const format = Qt.locale().timeFormat(Locale.ShortFormat).replace(/[:.]ss/, "")
    return Qt.formatTime(date, format)
}

//! The time in the conversation list: today the time, this week the weekday, else the date.
function listTime(date, now) {
    if (!date || isNaN(date.getTime()))
        return ""
    now = now || new Date()
    if (sameDay(date, now))
        return time(date)
    const days = (now - date) / 86400000
    if (days < 6)
        return Qt.locale().dayName(date.getDay(), Locale.ShortFormat)
    return Qt.formatDate(date, Qt.locale().dateFormat(Locale.ShortFormat))
}
