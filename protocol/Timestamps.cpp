// SPDX-License-Identifier: GPL-3.0-or-later
#include "Timestamps.h"

namespace Timestamps {
namespace {

constexpr qint64 kMsPerDay = 86400000;

// Days since 1970-01-01 of a proleptic Gregorian date, and back: the usual
// era arithmetic (400-year eras of 146 097 days), exact for every date.
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

void civilFromDays(qint64 z, qint64 *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = qint64(yoe) + era * 400 + (*m <= 2);
}

void digits(char *at, unsigned value, int count)
{
    for (int i = count - 1; i >= 0; --i) {
        at[i] = char('0' + value % 10);
        value /= 10;
    }
}

// "YYYY-MM-DDTHH:MM:SS.mmmZ" at `s`: its milliseconds, or false.
bool parseExact(const QString &s, qint64 *ms)
{
    if (s.size() != 24)
        return false;
    static constexpr int kDigits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22};
    for (const int i : kDigits) {
        if (!s[i].isDigit() || s[i].unicode() > '9')
            return false;
    }
    if (s[4] != QLatin1Char('-') || s[7] != QLatin1Char('-') || s[10] != QLatin1Char('T') || s[13] != QLatin1Char(':') ||
        s[16] != QLatin1Char(':') || s[19] != QLatin1Char('.') || s[23] != QLatin1Char('Z'))
        return false;
    auto num = [&s](int from, int count) {
        unsigned v = 0;
        for (int i = from; i < from + count; ++i)
            v = v * 10 + unsigned(s[i].unicode() - '0');
        return v;
    };
    const unsigned month = num(5, 2), day = num(8, 2), hour = num(11, 2), minute = num(14, 2), second = num(17, 2);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
        return false;
    const qint64 days = daysFromCivil(num(0, 4), month, day);
    qint64 y = 0;
    unsigned m = 0, d = 0;
    civilFromDays(days, &y, &m, &d);
    if (m != month || d != day) // 31 February and the like
        return false;
    *ms = days * kMsPerDay + ((hour * 60 + minute) * 60 + second) * qint64(1000) + num(20, 3);
    return true;
}

} // namespace

QJsonValue toJson(const QDateTime &t)
{
    if (!t.isValid())
        return QJsonValue::Null;
    const qint64 ms = t.toMSecsSinceEpoch();
    const qint64 days = ms >= 0 ? ms / kMsPerDay : (ms - kMsPerDay + 1) / kMsPerDay;
    qint64 y = 0;
    unsigned m = 0, d = 0;
    civilFromDays(days, &y, &m, &d);
    if (y < 0 || y > 9999) // beyond what four digits say
        return t.toUTC().toString(Qt::ISODateWithMs);
    const unsigned inDay = unsigned(ms - days * kMsPerDay);
    // Written by hand: QDateTime::toString costs microseconds a time, and a
    // listing of changes writes one per entry.
    char text[24] = {0, 0, 0, 0, '-', 0, 0, '-', 0, 0, 'T', 0, 0, ':', 0, 0, ':', 0, 0, '.', 0, 0, 0, 'Z'};
    digits(text, unsigned(y), 4);
    digits(text + 5, m, 2);
    digits(text + 8, d, 2);
    digits(text + 11, inDay / 3600000, 2);
    digits(text + 14, inDay / 60000 % 60, 2);
    digits(text + 17, inDay / 1000 % 60, 2);
    digits(text + 20, inDay % 1000, 3);
    return QString::fromLatin1(text, 24);
}

QDateTime fromJson(const QJsonValue &v)
{
    if (!v.isString())
        return {};
    const QString s = v.toString();
    qint64 ms = 0;
    if (parseExact(s, &ms))
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    return QDateTime::fromString(s, Qt::ISODateWithMs);
}

QDateTime fromMsecs(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

qint64 toMsecs(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

} // namespace Timestamps
