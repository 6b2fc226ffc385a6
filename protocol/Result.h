// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiError.h"

#include <utility>
#include <variant>

// A value or an ApiError: failures travel as values with a human sentence.
template <typename T>
class Result
{
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(ApiError error) : m_v(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_v); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<T>(m_v); }
    T &value() & { return std::get<T>(m_v); }
    T &&value() && { return std::get<T>(std::move(m_v)); }
    const T &operator*() const { return value(); }
    const T *operator->() const { return &value(); }
    const ApiError &error() const { return std::get<ApiError>(m_v); }

private:
    std::variant<T, ApiError> m_v;
};

struct Done {};
using Status = Result<Done>;
