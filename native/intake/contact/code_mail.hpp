// The message that carries a code, in the person's language: the widget's
// eight (kWidgetLanguages), as a table. {code}, {minutes} and {controller} are
// filled in.
// Thread safety: pure function.
#pragma once

#include <string_view>

#include "native/intake/contact/smtp_mailer.hpp"

namespace objector::intake {

// `lang`: a widget language ("pt-BR"), else its primary subtag ("pt"), else en-GB.
Mail code_mail(std::string_view lang, std::string to, std::string_view code, std::int64_t ttl_s,
               std::string_view controller);

}  // namespace objector::intake
