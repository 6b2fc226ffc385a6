// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QUrl>

class QLabel;
class QLineEdit;
class QPushButton;

// A Remote connection profile: a name, the engine's base URL and an API key.
class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProfileDialog(const QStringList &takenNames, QWidget *parent = nullptr);

    QString name() const;
    QUrl baseUrl() const;
    QString apiKey() const;

private:
    void validate();

    QStringList m_taken;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_key;
    QLabel *m_error;
    QPushButton *m_ok;
};
