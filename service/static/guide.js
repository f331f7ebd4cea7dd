// The guide's two instant answers: the ask box and the deadline calculator. Without this file
// both forms still work: they submit to / and the server answers in the page.
(function () {
  "use strict";
  var lang = document.documentElement.lang.indexOf("zh") === 0 ? "zh" : "en";
  var zh = lang === "zh";

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function local(iri) {
    var base = "https://w3id.org/newborn-kg/";
    return iri && iri.indexOf(base) === 0 ? "/" + iri.slice(base.length) : iri;
  }

  function longDate(iso) {
    var d = new Date(iso + "T00:00:00Z");
    return new Intl.DateTimeFormat(zh ? "zh-CN" : "en-GB", { dateStyle: "long", timeZone: "UTC" }).format(d);
  }

  function linked(item) {
    var li = el("li");
    if (item.iri) li.appendChild(el("a", item.label, { href: local(item.iri) }));
    else li.textContent = item.label || "";
    if (item["for"]) li.appendChild(el("small", " (" + item["for"] + ")"));
    return li;
  }

  function ask(question) {
    var box = document.getElementById("answer");
    box.textContent = zh ? "正在查询……" : "Looking it up…";
    fetch("/api/ask?" + new URLSearchParams({ q: question, lang: lang }), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        box.textContent = "";
        if (body.error) { box.appendChild(el("p", body.error.message, { role: "alert" })); return; }
        if (body.understood) {
          box.appendChild(el("p", body.text, { "class": "answer-text" }));
          var items = el("ul", "", { "class": "answer-items" });
          (body.answers || []).forEach(function (a) { items.appendChild(linked(a)); });
          if (items.children.length) box.appendChild(items);
          if ((body.sources || []).length) {
            var p = el("p", zh ? "出处：" : "Sources: ", { "class": "answer-sources" });
            body.sources.forEach(function (s, i) {
              if (i) p.appendChild(document.createTextNode(zh ? "；" : "; "));
              p.appendChild(el("a", s.label, { href: local(s.iri) }));
            });
            box.appendChild(p);
          }
        } else {
          box.appendChild(el("p", zh ? "没有听懂这个问题。可以试试：" : "The question was not understood. You could try:"));
          var list = el("ul", "", { "class": "suggestions" });
          (body.suggestions || []).forEach(function (s) {
            var li = el("li"), b = el("button", s, { type: "button", "class": "suggestion" });
            b.addEventListener("click", function () { document.getElementById("q").value = s; ask(s); });
            li.appendChild(b); list.appendChild(li);
          });
          box.appendChild(list);
        }
      })
      .catch(function () { box.textContent = zh ? "查询失败，请稍后再试。" : "The question could not be sent; try again."; });
  }

  var askForm = document.getElementById("ask-form");
  if (askForm) askForm.addEventListener("submit", function (e) {
    var q = document.getElementById("q").value.trim();
    if (!q) return;
    e.preventDefault();
    ask(q);
  });

  function deadline() {
    var input = document.getElementById("birth"), out = document.getElementById("deadline-result");
    if (!input.value) { out.textContent = ""; return; }
    fetch("/api/deadline?" + new URLSearchParams({ birth: input.value, lang: lang }))
      .then(function (r) { return r.json(); })
      .then(function (body) {
        out.textContent = "";
        if (body.error) { out.appendChild(el("p", body.error.message, { "class": "result problem", role: "alert" })); return; }
        var p = el("p", "", { "class": "result" }), strong = el("strong");
        strong.appendChild(el("time", longDate(body.deadline), { datetime: body.deadline }));
        p.appendChild(document.createTextNode(zh ? "最后一天是" : "The last day is "));
        p.appendChild(strong);
        p.appendChild(document.createTextNode((zh ? "：请在这一天或之前申报出生登记（" : ": declare the birth on or before that day (") + body.rule.label + (zh ? "）。" : ").")));
        out.appendChild(p);
      });
  }

  var dateForm = document.getElementById("deadline-form");
  if (dateForm) {
    document.getElementById("birth").addEventListener("input", deadline);
    dateForm.addEventListener("submit", function (e) { e.preventDefault(); deadline(); });
  }
})();
