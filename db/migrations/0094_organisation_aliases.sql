-- A body named in full keys on its acronym (references.yaml `aliases`): the organisation
-- references stored under a listed long name move to the acronym's key, so that a body has one
-- reference page, however items named it. An item that already holds the acronym's key keeps
-- that row only. Later extraction gives these keys itself.
CREATE TEMP TABLE alias_keys (old TEXT PRIMARY KEY, new TEXT NOT NULL);
INSERT INTO alias_keys (old, new) VALUES
    ('Advanced Manufacturing Research Centre', 'AMRC'),
    ('Agence de l''Union européenne pour la cybersécurité', 'ENISA'),
    ('Agence de l''Union européenne pour la sécurité aérienne', 'EASA'),
    ('Agence de l''environnement et de la maîtrise de l''énergie', 'ADEME'),
    ('Agence de la transition écologique', 'ADEME'),
    ('Agence européenne des produits chimiques', 'ECHA'),
    ('Agence européenne pour la sécurité et la santé au travail', 'EU-OSHA'),
    ('Agence nationale de la recherche', 'ANR'),
    ('Agence nationale de la sécurité des systèmes d''information', 'ANSSI'),
    ('Agence nationale de sécurité sanitaire', 'ANSES'),
    ('Agence nationale de sécurité sanitaire de l''alimentation, de l''environnement et du travail', 'ANSES'),
    ('Agence nationale pour l''amélioration des conditions de travail', 'Anact'),
    ('Agence spatiale européenne', 'ESA'),
    ('American National Standards Institute', 'ANSI'),
    ('Association for Advancing Automation', 'A3'),
    ('Association française de normalisation', 'AFNOR'),
    ('Bundesanstalt für Arbeitsschutz und Arbeitsmedizin', 'BAuA'),
    ('Caisse d''assurance retraite et de la santé au travail', 'Carsat'),
    ('Centre national de la recherche scientifique', 'CNRS'),
    ('Centre technique des industries mécaniques', 'Cetim'),
    ('Comité européen de normalisation', 'CEN'),
    ('Comité européen de normalisation électrotechnique', 'CENELEC'),
    ('Comité français d''accréditation', 'Cofrac'),
    ('Commissariat à l''énergie atomique et aux énergies alternatives', 'CEA'),
    ('Commission nationale de l''informatique et des libertés', 'CNIL'),
    ('Defense Advanced Research Projects Agency', 'DARPA'),
    ('Deutsche Gesetzliche Unfallversicherung', 'DGUV'),
    ('Direction générale de l''armement', 'DGA'),
    ('Direction générale de la concurrence, de la consommation et de la répression des fraudes', 'DGCCRF'),
    ('Direction générale de la prévention des risques', 'DGPR'),
    ('Direction générale du travail', 'DGT'),
    ('European Agency for Safety and Health at Work', 'EU-OSHA'),
    ('European Chemicals Agency', 'ECHA'),
    ('European Committee for Electrotechnical Standardization', 'CENELEC'),
    ('European Committee for Standardization', 'CEN'),
    ('European Space Agency', 'ESA'),
    ('European Telecommunications Standards Institute', 'ETSI'),
    ('European Union Agency for Cybersecurity', 'ENISA'),
    ('European Union Aviation Safety Agency', 'EASA'),
    ('Fédération des Industries Mécaniques', 'FIM'),
    ('Fédération internationale de la robotique', 'IFR'),
    ('Health and Safety Executive', 'HSE'),
    ('Institut européen des normes de télécommunications', 'ETSI'),
    ('Institut national de l''environnement industriel et des risques', 'INERIS'),
    ('Institut national de recherche et de sécurité', 'INRS'),
    ('International Federation of Robotics', 'IFR'),
    ('Laboratoire national de métrologie et d''essais', 'LNE'),
    ('Manufacturing Technology Centre', 'MTC'),
    ('National Fire Protection Association', 'NFPA'),
    ('National Institute for Occupational Safety and Health', 'NIOSH'),
    ('National Institute of Standards and Technology', 'NIST'),
    ('Occupational Safety and Health Administration', 'OSHA'),
    ('Office for Product Safety and Standards', 'OPSS'),
    ('Organisme professionnel de prévention du bâtiment et des travaux publics', 'OPPBTP'),
    ('Syndicat des machines et technologies de production', 'Symop'),
    ('Union de normalisation de la mécanique', 'UNM'),
    ('Union des industries et métiers de la métallurgie', 'UIMM'),
    ('Verband Deutscher Maschinen- und Anlagenbau', 'VDMA'),
    ('Zentralverband Elektrotechnik- und Elektronikindustrie', 'ZVEI');
DELETE FROM entities
WHERE kind = 'organisation' AND key IN (SELECT old FROM alias_keys)
  AND EXISTS (SELECT 1 FROM entities AS e JOIN alias_keys AS a ON a.old = entities.key
              WHERE e.item_id = entities.item_id AND e.kind = 'organisation' AND e.key = a.new);
-- two long names of one body in one item (no acronym): the first row stays
DELETE FROM entities
WHERE kind = 'organisation' AND key IN (SELECT old FROM alias_keys)
  AND EXISTS (SELECT 1 FROM entities AS e JOIN alias_keys AS a ON a.old = e.key
              WHERE e.item_id = entities.item_id AND e.kind = 'organisation' AND e.rowid < entities.rowid
                AND a.new = (SELECT new FROM alias_keys WHERE old = entities.key));
UPDATE entities SET key = (SELECT new FROM alias_keys WHERE old = entities.key)
WHERE kind = 'organisation' AND key IN (SELECT old FROM alias_keys);
DROP TABLE alias_keys;
