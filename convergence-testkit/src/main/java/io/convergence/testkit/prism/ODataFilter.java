package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The OData {@code $filter} subset of the wire contract, parsed for real: comparisons {@code field
 * eq 'text'} and lambda tests {@code collection/any(c:c/property eq 'text')}, joined by {@code
 * and}, optionally parenthesised. Anything else ({@code or}, {@code ne}, functions, numbers, a
 * field the resource cannot be filtered on) is refused with a {@link FilterException}, never
 * ignored.
 */
final class ODataFilter {

  /** Why a filter was refused. */
  static final class FilterException extends Exception {
    private static final long serialVersionUID = 1L;

    FilterException(String message) {
      super(message, null, false, false);
    }
  }

  /** One clause; a filter matches when all of its clauses do. */
  sealed interface Clause permits Eq, AnyEq {

    boolean matches(JsonNode entity);
  }

  /** {@code field eq 'value'}. */
  record Eq(String field, String value) implements Clause {
    @Override
    public boolean matches(JsonNode entity) {
      JsonNode v = entity.get(field);
      return v != null && v.isTextual() && v.asText().equals(value);
    }
  }

  /** {@code collection/any(x:x/property eq 'value')}. */
  record AnyEq(String collection, String property, String value) implements Clause {
    @Override
    public boolean matches(JsonNode entity) {
      JsonNode items = entity.get(collection);
      if (items == null || !items.isArray()) {
        return false;
      }
      for (JsonNode item : items) {
        JsonNode v = item.get(property);
        if (v != null && v.isTextual() && v.asText().equals(value)) {
          return true;
        }
      }
      return false;
    }
  }

  private final List<Clause> clauses;

  private ODataFilter(List<Clause> clauses) {
    this.clauses = List.copyOf(clauses);
  }

  /** The clauses, in order. */
  List<Clause> clauses() {
    return clauses;
  }

  /** Whether the entity (as the API renders it) passes every clause. */
  boolean matches(JsonNode entity) {
    for (Clause c : clauses) {
      if (!c.matches(entity)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a filter and checks it only uses what the resource supports.
   *
   * @param text the {@code $filter} value, decoded
   * @param fields the string fields {@code eq} may test
   * @param collections the {@code collection/property} pairs {@code any} may test, e.g. {@code
   *     categories/extId}
   */
  static ODataFilter parse(String text, Set<String> fields, Set<String> collections)
      throws FilterException {
    Parser p = new Parser(tokenize(text));
    List<Clause> out = new ArrayList<>();
    p.expression(out);
    if (!p.atEnd()) {
      throw new FilterException("unexpected '" + p.peek().text + "' at offset " + p.peek().offset);
    }
    for (Clause c : out) {
      if (c instanceof Eq eq && !fields.contains(eq.field())) {
        throw new FilterException(
            "field '" + eq.field() + "' cannot be filtered on; supported: " + sorted(fields));
      }
      if (c instanceof AnyEq any
          && !collections.contains(any.collection() + "/" + any.property())) {
        throw new FilterException(
            "'"
                + any.collection()
                + "/any(..."
                + any.property()
                + ")' is not supported; supported: "
                + sorted(collections));
      }
    }
    return new ODataFilter(out);
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  // ------------------------------------------------------------------ lexer

  private enum Kind {
    IDENT,
    STRING,
    SLASH,
    OPEN,
    CLOSE,
    COLON,
    END
  }

  private record Token(Kind kind, String text, int offset) {}

  private static List<Token> tokenize(String s) throws FilterException {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '/') {
        out.add(new Token(Kind.SLASH, "/", i++));
      } else if (c == '(') {
        out.add(new Token(Kind.OPEN, "(", i++));
      } else if (c == ')') {
        out.add(new Token(Kind.CLOSE, ")", i++));
      } else if (c == ':') {
        out.add(new Token(Kind.COLON, ":", i++));
      } else if (c == '\'') {
        int start = i++;
        StringBuilder b = new StringBuilder();
        while (true) {
          if (i >= s.length()) {
            throw new FilterException("unterminated string literal at offset " + start);
          }
          char d = s.charAt(i++);
          if (d == '\'') {
            if (i < s.length() && s.charAt(i) == '\'') {
              b.append('\'');
              i++;
            } else {
              break;
            }
          } else {
            b.append(d);
          }
        }
        out.add(new Token(Kind.STRING, b.toString(), start));
      } else if (Character.isLetter(c) || c == '_' || c == '$') {
        int start = i;
        while (i < s.length()
            && (Character.isLetterOrDigit(s.charAt(i))
                || s.charAt(i) == '_'
                || s.charAt(i) == '$')) {
          i++;
        }
        out.add(new Token(Kind.IDENT, s.substring(start, i), start));
      } else {
        throw new FilterException("unsupported character '" + c + "' at offset " + i);
      }
    }
    out.add(new Token(Kind.END, "<end>", s.length()));
    return out;
  }

  // ------------------------------------------------------------------ parser

  private static final class Parser {
    private final List<Token> tokens;
    private int pos;

    Parser(List<Token> tokens) {
      this.tokens = tokens;
    }

    Token peek() {
      return tokens.get(pos);
    }

    boolean atEnd() {
      return peek().kind == Kind.END;
    }

    Token next() {
      return tokens.get(pos++);
    }

    Token expect(Kind kind, String what) throws FilterException {
      Token t = next();
      if (t.kind != kind) {
        throw new FilterException(
            "expected " + what + " but found '" + t.text + "' at offset " + t.offset);
      }
      return t;
    }

    void keyword(String word) throws FilterException {
      Token t = next();
      if (t.kind != Kind.IDENT || !t.text.equals(word)) {
        String hint =
            t.kind == Kind.IDENT && isOperator(t.text)
                ? " (only 'eq' and 'and' are supported)"
                : "";
        throw new FilterException(
            "expected '" + word + "' but found '" + t.text + "' at offset " + t.offset + hint);
      }
    }

    private static boolean isOperator(String s) {
      return Set.of("ne", "gt", "ge", "lt", "le", "or", "not", "in", "has").contains(s);
    }

    /** expression := term ('and' term)* */
    void expression(List<Clause> out) throws FilterException {
      term(out);
      while (peek().kind == Kind.IDENT && peek().text.equals("and")) {
        next();
        term(out);
      }
      if (peek().kind == Kind.IDENT) {
        Token t = peek();
        throw new FilterException(
            "unsupported operator '"
                + t.text
                + "' at offset "
                + t.offset
                + " (only 'eq' and 'and' are supported)");
      }
    }

    /** term := '(' expression ')' | IDENT 'eq' STRING | IDENT '/' 'any' '(' lambda ')' */
    void term(List<Clause> out) throws FilterException {
      if (peek().kind == Kind.OPEN) {
        next();
        expression(out);
        expect(Kind.CLOSE, "')'");
        return;
      }
      Token field = expect(Kind.IDENT, "a field name");
      if (isOperator(field.text) || field.text.equals("and") || field.text.equals("eq")) {
        throw new FilterException(
            "expected a field name but found '" + field.text + "' at offset " + field.offset);
      }
      if (peek().kind == Kind.OPEN) {
        throw new FilterException(
            "function '" + field.text + "' at offset " + field.offset + " is not supported");
      }
      if (peek().kind == Kind.SLASH) {
        next();
        Token any = expect(Kind.IDENT, "'any'");
        if (!any.text.equals("any")) {
          throw new FilterException(
              "only '"
                  + field.text
                  + "/any(...)' is supported, not '"
                  + field.text
                  + "/"
                  + any.text
                  + "'");
        }
        expect(Kind.OPEN, "'('");
        Token var = expect(Kind.IDENT, "a lambda variable");
        expect(Kind.COLON, "':'");
        Token var2 = expect(Kind.IDENT, "the lambda variable");
        if (!var2.text.equals(var.text)) {
          throw new FilterException(
              "lambda variable '" + var2.text + "' is not '" + var.text + "'");
        }
        expect(Kind.SLASH, "'/'");
        Token prop = expect(Kind.IDENT, "a property name");
        keyword("eq");
        Token value = expect(Kind.STRING, "a string literal");
        expect(Kind.CLOSE, "')'");
        out.add(new AnyEq(field.text, prop.text, value.text));
        return;
      }
      keyword("eq");
      Token value = expect(Kind.STRING, "a string literal");
      out.add(new Eq(field.text, value.text));
    }
  }
}
