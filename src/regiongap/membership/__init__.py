"""Who belongs to which partnership, from the shipped registry or an analyst's file.

``vocabulary`` (roles, confidence, member lists, columns) → ``validate`` (every row
checked, one error) → ``files`` (an analyst's own file) and ``registry`` (the
shipped S3 registry: ``partnerships``, ``members``) → ``to_level`` (members moved to
one NUTS level) → ``groups`` (region × partnership matrix, members versus
non-members) → ``resolve`` (the one ``Membership`` every metric uses).
"""
