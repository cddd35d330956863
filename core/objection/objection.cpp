#include "core/objection/objection.hpp"

#include <algorithm>

#include "core/objection/jurisdiction.hpp"

namespace objector {
namespace {

std::vector<std::string> sorted_unique(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

}  // namespace

Result<Objection> make_objection(const ObjectionForm& form, const SigningKey& device_key, Opening opening) {
  OBJECTOR_RETURN_IF_ERROR(validate_account(opening.account));
  Statement s;
  s.controller = form.controller;
  s.jurisdiction = form.jurisdiction;
  if (const auto* j = find_jurisdiction(form.jurisdiction)) s.basis = j->basis;
  s.services = sorted_unique(form.services);
  s.purposes = sorted_unique(form.purposes);
  s.subject = commit(opening.account, opening.r.view());
  s.device_key = device_key.public_key();
  s.created = form.created;
  s.lang = form.lang;
  OBJECTOR_RETURN_IF_ERROR(validate(s));
  return Objection{sign_statement(std::move(s), device_key), std::move(opening), device_key.seed()};
}

Result<Objection> make_objection(const ObjectionForm& form) {
  return make_objection(form, SigningKey::generate(), make_opening(form.account));
}

}  // namespace objector
