package org.medledger.protocol.abe;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * A monotone boolean access policy over attributes: AND, OR, k-of-n and parentheses.
 *
 * <pre>
 *   policy    := or
 *   or        := and ( "OR" and )*
 *   and       := term ( "AND" term )*
 *   term      := "(" or ")" | INT "of" "(" or ( "," or )* ")" | attribute
 *   attribute := [A-Za-z0-9_.:@/#+-]+  |  '"' any characters except '"' '"'
 * </pre>
 *
 * Keywords are case-insensitive; AND binds tighter than OR. Attribute names are Unicode
 * NFC-normalized and case-folded ({@link #foldAttribute}). The parsed tree is kept in a
 * canonical form (nested gates of the same kind are flattened, {@code n of (n items)}
 * becomes AND, {@code 1 of (…)} becomes OR), and {@link #canonical()} prints that form;
 * two policies are equal when their canonical texts are equal.
 */
public final class AccessPolicy {

    /** Upper bounds that keep a hostile policy from exhausting the encryptor or the endorser. */
    public static final int MAX_TEXT_LENGTH = 4096;
    public static final int MAX_LEAVES = 256;
    public static final int MAX_DEPTH = 32;

    private static final Pattern BARE = Pattern.compile("[a-z0-9_.:@/#+\\-]+");

    private final Node root;
    private final String canonical;

    private AccessPolicy(Node root) {
        this.root = root;
        this.canonical = root.print(true);
    }

    /** Parses {@code text}; a syntax error names the character position (0-based) where it was found. */
    public static AccessPolicy parse(String text) throws ProtocolException {
        Objects.requireNonNull(text, "policy text is required");
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new ProtocolException(Reason.POLICY_NOT_SATISFIED, "policy is longer than " + MAX_TEXT_LENGTH + " characters");
        }
        Parser p = new Parser(text);
        Node root = p.parseOr(0);
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        if (root.leafCount() > MAX_LEAVES) {
            throw new ProtocolException(Reason.POLICY_NOT_SATISFIED, "policy has more than " + MAX_LEAVES + " attributes");
        }
        return new AccessPolicy(root);
    }

    /** NFC-normalizes and case-folds an attribute (or identity) name; refuses blank names. */
    public static String foldAttribute(String name) {
        Objects.requireNonNull(name, "attribute name is required");
        String folded = Normalizer.normalize(name.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        if (folded.isEmpty()) {
            throw new IllegalArgumentException("attribute name must not be blank");
        }
        return folded;
    }

    /** The canonical text of this policy. */
    public String canonical() {
        return canonical;
    }

    /** The attributes in leaf order (one per LSSS row; may repeat). */
    public List<String> leaves() {
        List<String> out = new ArrayList<>();
        root.collect(out);
        return Collections.unmodifiableList(out);
    }

    /** Whether the (already folded) attribute set satisfies the policy. */
    public boolean isSatisfiedBy(Set<String> attributes) {
        return root.satisfied(attributes);
    }

    Node root() {
        return root;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessPolicy other && canonical.equals(other.canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return canonical;
    }

    // --- the tree ---

    sealed interface Node permits Leaf, Gate {
        String print(boolean top);

        int leafCount();

        void collect(List<String> out);

        boolean satisfied(Set<String> attributes);
    }

    record Leaf(String attribute) implements Node {
        @Override
        public String print(boolean top) {
            return BARE.matcher(attribute).matches() && !isKeyword(attribute) && !Character.isDigit(attribute.charAt(0))
                    ? attribute : '"' + attribute + '"';
        }

        @Override
        public int leafCount() {
            return 1;
        }

        @Override
        public void collect(List<String> out) {
            out.add(attribute);
        }

        @Override
        public boolean satisfied(Set<String> attributes) {
            return attributes.contains(attribute);
        }
    }

    /** A threshold gate: at least {@code k} of the children. AND is n-of-n, OR is 1-of-n. */
    record Gate(int k, List<Node> children) implements Node {
        Gate {
            children = List.copyOf(children);
        }

        boolean isAnd() {
            return k == children.size();
        }

        boolean isOr() {
            return k == 1;
        }

        @Override
        public String print(boolean top) {
            StringBuilder b = new StringBuilder();
            if (isAnd() || isOr()) {
                String op = isAnd() ? " AND " : " OR ";
                for (int i = 0; i < children.size(); i++) {
                    if (i > 0) {
                        b.append(op);
                    }
                    b.append(children.get(i).print(false));
                }
                return top ? b.toString() : "(" + b + ")";
            }
            b.append(k).append(" of (");
            for (int i = 0; i < children.size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                b.append(children.get(i).print(true));
            }
            return b.append(')').toString();
        }

        @Override
        public int leafCount() {
            int n = 0;
            for (Node c : children) {
                n += c.leafCount();
            }
            return n;
        }

        @Override
        public void collect(List<String> out) {
            for (Node c : children) {
                c.collect(out);
            }
        }

        @Override
        public boolean satisfied(Set<String> attributes) {
            int ok = 0;
            for (Node c : children) {
                if (c.satisfied(attributes)) {
                    ok++;
                }
            }
            return ok >= k;
        }
    }

    private static boolean isKeyword(String s) {
        return s.equals("and") || s.equals("or") || s.equals("of");
    }

    /** Builds an AND (k = n) or OR (k = 1) gate, flattening children that are gates of the same kind. */
    private static Node gate(boolean and, List<Node> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        List<Node> flat = new ArrayList<>();
        for (Node n : items) {
            if (n instanceof Gate g && (and ? g.isAnd() : g.isOr())) {
                flat.addAll(g.children());
            } else {
                flat.add(n);
            }
        }
        return new Gate(and ? flat.size() : 1, flat);
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        ProtocolException error(String what) {
            return new ProtocolException(Reason.POLICY_NOT_SATISFIED, "policy syntax error at position " + pos + ": " + what);
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        Node parseOr(int depth) throws ProtocolException {
            if (depth > MAX_DEPTH) {
                throw error("policy nests deeper than " + MAX_DEPTH);
            }
            List<Node> items = new ArrayList<>();
            items.add(parseAnd(depth));
            while (keyword("or")) {
                items.add(parseAnd(depth));
            }
            return gate(false, items);
        }

        Node parseAnd(int depth) throws ProtocolException {
            List<Node> items = new ArrayList<>();
            items.add(parseTerm(depth));
            while (keyword("and")) {
                items.add(parseTerm(depth));
            }
            return gate(true, items);
        }

        Node parseTerm(int depth) throws ProtocolException {
            skipSpace();
            if (pos >= text.length()) {
                throw error("expected an attribute, '(' or 'k of (…)' but the policy ended");
            }
            char c = text.charAt(pos);
            if (c == '(') {
                pos++;
                Node inner = parseOr(depth + 1);
                expect(')');
                return inner;
            }
            if (c == '"') {
                int start = pos;
                int end = text.indexOf('"', pos + 1);
                if (end < 0) {
                    throw error("unterminated quoted attribute");
                }
                String raw = text.substring(pos + 1, end);
                if (raw.isBlank()) {
                    pos = start;
                    throw error("empty attribute name");
                }
                pos = end + 1;
                return new Leaf(foldAttribute(raw));
            }
            int start = pos;
            while (pos < text.length() && isBareChar(text.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected an attribute, '(' or 'k of (…)', found '" + c + "'");
            }
            String word = text.substring(start, pos);
            if (word.chars().allMatch(Character::isDigit)) {
                return parseThreshold(start, word, depth);
            }
            String folded = foldAttribute(word);
            if (isKeyword(folded)) {
                pos = start;
                throw error("keyword '" + word + "' where an attribute was expected");
            }
            return new Leaf(folded);
        }

        Node parseThreshold(int start, String digits, int depth) throws ProtocolException {
            if (!keyword("of")) {
                throw error("expected 'of' after the threshold " + digits);
            }
            expect('(');
            List<Node> items = new ArrayList<>();
            items.add(parseOr(depth + 1));
            skipSpace();
            while (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                items.add(parseOr(depth + 1));
                skipSpace();
            }
            expect(')');
            int k;
            try {
                k = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                k = -1;
            }
            if (k < 1 || k > items.size()) {
                int here = pos;
                pos = start;
                ProtocolException ex = error("threshold " + digits + " must be between 1 and " + items.size());
                pos = here;
                throw ex;
            }
            if (k == items.size() || k == 1) {
                return gate(k != 1 || items.size() == 1, items);
            }
            return new Gate(k, items);
        }

        boolean keyword(String kw) {
            skipSpace();
            int end = pos + kw.length();
            if (end <= text.length() && text.regionMatches(true, pos, kw, 0, kw.length())
                    && (end == text.length() || !isBareChar(text.charAt(end)))) {
                pos = end;
                return true;
            }
            return false;
        }

        void expect(char c) throws ProtocolException {
            skipSpace();
            if (pos >= text.length()) {
                throw error("expected '" + c + "' but the policy ended");
            }
            if (text.charAt(pos) != c) {
                throw error("expected '" + c + "', found '" + text.charAt(pos) + "'");
            }
            pos++;
        }

        private static boolean isBareChar(char c) {
            return Character.isLetterOrDigit(c) || "_.:@/#+-".indexOf(c) >= 0;
        }
    }
}
