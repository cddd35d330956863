#include "native/intake/contact/code_mail.hpp"

#include <array>

namespace objector::intake {
namespace {

struct CodeMailText {
  std::string_view lang;
  std::string_view subject;
  std::string_view body;
};

// Plain words (GOV.UK's style for notifications): what the code is for, how
// long it works, and what to do if the person did not ask for it.
constexpr std::array<CodeMailText, 8> kTexts{{
    {"en-GB", "{code} is your code for {controller}",
     "Your code is {code}.\n\nEnter it in the objection form to confirm this email address. It works once, for "
     "{minutes} minutes.\n\nIf you did not ask to object to AI training, you can ignore this email: nothing happens "
     "without the code.\n\n{controller}\n"},
    {"pt-BR", "{code} é o seu código para {controller}",
     "Seu código é {code}.\n\nDigite-o no formulário de oposição para confirmar este endereço de e-mail. Ele funciona "
     "uma vez, por {minutes} minutos.\n\nSe você não pediu para se opor ao treinamento de IA, ignore este e-mail: nada "
     "acontece sem o código.\n\n{controller}\n"},
    {"de", "{code} ist Ihr Code für {controller}",
     "Ihr Code lautet {code}.\n\nGeben Sie ihn im Widerspruchsformular ein, um diese E-Mail-Adresse zu bestätigen. "
     "Er gilt einmal, {minutes} Minuten lang.\n\nWenn Sie keinen Widerspruch gegen KI-Training einlegen wollten, "
     "können Sie diese E-Mail ignorieren: Ohne den Code geschieht nichts.\n\n{controller}\n"},
    {"fr", "{code} est votre code pour {controller}",
     "Votre code est {code}.\n\nSaisissez-le dans le formulaire d'opposition pour confirmer cette adresse e-mail. Il "
     "fonctionne une fois, pendant {minutes} minutes.\n\nSi vous n'avez pas demandé à vous opposer à l'entraînement "
     "de l'IA, ignorez cet e-mail : rien ne se passe sans le code.\n\n{controller}\n"},
    {"es", "{code} es tu código para {controller}",
     "Tu código es {code}.\n\nIntrodúcelo en el formulario de oposición para confirmar esta dirección de correo. "
     "Funciona una vez, durante {minutes} minutos.\n\nSi no pediste oponerte al entrenamiento de IA, ignora este "
     "correo: sin el código no ocurre nada.\n\n{controller}\n"},
    {"it", "{code} è il tuo codice per {controller}",
     "Il tuo codice è {code}.\n\nInseriscilo nel modulo di opposizione per confermare questo indirizzo email. "
     "Funziona una volta, per {minutes} minuti.\n\nSe non hai chiesto di opporti all'addestramento dell'IA, ignora "
     "questa email: senza il codice non succede nulla.\n\n{controller}\n"},
    {"nl", "{code} is uw code voor {controller}",
     "Uw code is {code}.\n\nVul hem in op het bezwaarformulier om dit e-mailadres te bevestigen. Hij werkt één keer, "
     "{minutes} minuten lang.\n\nHebt u niet gevraagd om bezwaar te maken tegen AI-training, dan kunt u deze e-mail "
     "negeren: zonder de code gebeurt er niets.\n\n{controller}\n"},
    {"pl", "{code} to Twój kod do {controller}",
     "Twój kod to {code}.\n\nWpisz go w formularzu sprzeciwu, aby potwierdzić ten adres e-mail. Działa jeden raz, "
     "przez {minutes} minut.\n\nJeśli nie prosisz o sprzeciw wobec trenowania AI, zignoruj tę wiadomość: bez kodu "
     "nic się nie stanie.\n\n{controller}\n"},
}};

const CodeMailText& text_for(std::string_view lang) {
  for (const auto& t : kTexts) {
    if (t.lang == lang) return t;
  }
  auto primary = lang.substr(0, lang.find('-'));
  for (const auto& t : kTexts) {
    if (t.lang.substr(0, t.lang.find('-')) == primary) return t;
  }
  return kTexts[0];
}

std::string fill(std::string_view text, std::string_view code, std::string_view minutes, std::string_view controller) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    auto open = text.find('{', i);
    out.append(text.substr(i, open - i));
    if (open == std::string_view::npos) break;
    auto close = text.find('}', open);
    auto name = text.substr(open + 1, close - open - 1);
    out.append(name == "code" ? code : name == "minutes" ? minutes : controller);
    i = close + 1;
  }
  return out;
}

}  // namespace

Mail code_mail(std::string_view lang, std::string to, std::string_view code, std::int64_t ttl_s,
               std::string_view controller) {
  const auto& t = text_for(lang);
  auto minutes = std::to_string((ttl_s + 59) / 60);
  return {std::move(to), fill(t.subject, code, minutes, controller), fill(t.body, code, minutes, controller)};
}

}  // namespace objector::intake
