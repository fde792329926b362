#pragma once

#include <QObject>
#include <QQmlEngine>
#include <QQmlParserStatus>

namespace App {

//! Gives its engine `image://avatar` (AvatarImageProvider) as it is made: Main.qml declares one
//! first, so that every Avatar of the window finds the provider. (The App singleton cannot: Qt
//! 6.4 constructs a default-constructible singleton without telling it the engine.)
class AvatarImages : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
public:
    explicit AvatarImages(QObject *parent = nullptr);

    void classBegin() override;
    void componentComplete() override { }
};

} // namespace App
